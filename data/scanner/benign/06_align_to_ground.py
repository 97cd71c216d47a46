# put every object on the ground plane
for obj in scene.objects:
    x, _, z = obj.position
    obj.position = (x, 0.0, z)
