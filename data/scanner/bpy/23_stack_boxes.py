import bpy

heights = [0.5, 0.4, 0.3, 0.25]
z = 0.0
for level, h in enumerate(heights):
    bpy.ops.mesh.primitive_cube_add(size=1.0)
    box = bpy.context.active_object
    box.name = "Box_%d" % level
    box.scale = (1.0 - level * 0.15, 1.0 - level * 0.15, h)
    box.location = (0.0, 0.0, z + h / 2)
    z += h
