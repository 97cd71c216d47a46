# a list nested 300,000 deep: repr recurses in C past the WebAssembly stack (a RecursionError)
x = []
for i in range(300000):
    x = [x]
print(len(repr(x)))
