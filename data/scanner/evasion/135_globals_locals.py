# the script's own namespace and the builtins in it
g = globals()
l = locals()
print(g["__builtins__"], l)
