import bpy

size = 5
spacing = 2.5
for x in range(size):
    for y in range(size):
        bpy.ops.mesh.primitive_cube_add(size=1.0, location=(x * spacing, y * spacing, 0.0))
        cube = bpy.context.active_object
        cube.name = f"Grid_{x:02d}_{y:02d}"
