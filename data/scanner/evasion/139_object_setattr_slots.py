# object.__setattr__ around __slots__
object.__setattr__(scene, "objects", None)
