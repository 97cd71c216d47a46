# __getattribute__ on a script class intercepts every attribute read
class Spy:
    def __getattribute__(self, name):
        return name
print(Spy().anything)
