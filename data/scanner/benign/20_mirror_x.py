# mirror the selection across X
for oid in ("left-wing", "left-door"):
    if oid in scene.objects:
        o = scene.objects[oid]
        x, y, z = o.position
        o.position = (-x, y, z)
