# a decorator that hands the function object to something reflective
@print.__class__
def f():
    pass
