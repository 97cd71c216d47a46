# __init_subclass__ runs code each time a subclass is made
class Base:
    def __init_subclass__(cls, **kw):
        print(cls.__mro__)
class Child(Base):
    pass
