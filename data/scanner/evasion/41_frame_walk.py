# walk a generator frame up to the caller's globals
gen = (x for x in [1])
g = gen.gi_frame.f_back.f_globals
g['__builtins__']
