# vars() exposes the module namespace
ns = vars()
ns['__builtins__']
