# a metaclass that is a lambda: the "class" is the namespace dict of its body, nothing more
class A(metaclass=lambda name, bases, ns: ns):
    x = 1
print(sorted(k for k in A if not k.startswith("_")))
