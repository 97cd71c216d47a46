# a property object's fget and the closure cell behind it
class A:
    def name(self):
        return 1
p = A.__dict__["name"]
print(p.fget.__closure__[0].cell_contents)
