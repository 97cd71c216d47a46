import bpy
from mathutils import Vector

for obj in bpy.context.selected_objects:
    corners = [obj.matrix_world @ Vector(c) for c in obj.bound_box]
    lowest = min(c.z for c in corners)
    obj.location.z -= lowest
