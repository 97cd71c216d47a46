# a name built from strings, used through getattr
name = "__cla" + "ss__"
getattr(scene, name)
