# one long C call on a number: only the time limit stops it
import math
print(math.factorial(10 ** 7) % 7)
