# helper functions with defaults and keyword arguments
def lift(obj, by=1.0, *, keep_x=True):
    x, y, z = obj.position
    obj.position = (x if keep_x else 0.0, y + by, z)

for o in scene.objects:
    lift(o, by=0.25, keep_x=False)
