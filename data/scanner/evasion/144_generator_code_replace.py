# a generator's code object and code.replace
g = (i for i in [1])
code = g.gi_code.replace(co_consts=(None,))
