import bpy
import math

objects = [o for o in bpy.data.objects if o.name.startswith("Chair")]
radius = 3.0
count = len(objects)
for i, chair in enumerate(objects):
    angle = 2 * math.pi * i / max(count, 1)
    chair.location.x = radius * math.cos(angle)
    chair.location.y = radius * math.sin(angle)
    chair.rotation_euler.z = angle + math.pi / 2
