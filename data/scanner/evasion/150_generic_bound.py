# PEP 695 type parameters with a bound that is evaluated lazily
def f[T: print.__class__](x: T) -> T:
    return x
print(f.__type_params__[0].__bound__)
