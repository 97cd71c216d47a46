# __set_name__ runs when a class body is built
class D:
    def __set_name__(self, owner, name):
        print(owner.__dict__)
class C:
    d = D()
