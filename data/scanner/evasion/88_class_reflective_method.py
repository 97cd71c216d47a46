# a class naming a reflective attribute so x.format looks like its own
class A:
    def format(self):
        return 0
print("{0.__class__}".format(A()))
