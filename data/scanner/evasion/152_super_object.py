# super() and object reach the base of every class
class A:
    def f(self):
        return super().__thisclass__
print(object.__subclasses__())
