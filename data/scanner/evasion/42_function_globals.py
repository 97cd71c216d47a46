# a function's __globals__ leads to builtins
f = lambda: 0
b = f.__globals__['__builtins__']
