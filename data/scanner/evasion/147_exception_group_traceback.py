# an ExceptionGroup and the traceback of what it holds
eg = ExceptionGroup("x", [ValueError()])
print(eg.exceptions[0].__traceback__)
