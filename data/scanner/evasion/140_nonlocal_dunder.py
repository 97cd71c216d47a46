# nonlocal and a dunder name
def outer():
    __builtins__ = None
    def inner():
        nonlocal __builtins__
        return __builtins__
    return inner()
