# asks for gigabytes of list
x = [0] * (10 ** 9)
