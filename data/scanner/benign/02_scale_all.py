# double every object's scale
for obj in scene.objects:
    sx, sy, sz = obj.scale
    obj.scale = (sx * 2, sy * 2, sz * 2)
