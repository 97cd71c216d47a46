# a dunder hook on a class runs on any attribute miss
class Proxy:
    def __getattr__(self, name):
        return name
Proxy().anything
