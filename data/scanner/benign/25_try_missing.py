# tolerate a missing object
try:
    scene.objects["maybe"].name = "Found"
except KeyError as e:
    print("not there:", e.args[0])
