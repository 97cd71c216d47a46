# asks for a gigabyte
x = "a" * (10 ** 9)
