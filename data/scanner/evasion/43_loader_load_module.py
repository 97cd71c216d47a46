# the module loader object loads anything
os_mod = __loader__.load_module('os')
