# Lay out a checkerboard of floor tiles with two materials (floats written the old way: 0., 1.).
import bpy

dark = bpy.data.materials.get("TileDark") or bpy.data.materials.new("TileDark")
light = bpy.data.materials.get("TileLight") or bpy.data.materials.new("TileLight")
dark.diffuse_color = (0.05, 0.05, 0.05, 1.)
light.diffuse_color = (0.9, 0.88, 0.82, 1.)

for row in range(8):
    for col in range(8):
        bpy.ops.mesh.primitive_plane_add(size=1., location=(col * 1., row * 1., 0.))
        tile = bpy.context.active_object
        tile.name = f"Tile_{row}_{col}"
        tile.active_material = dark if (row + col) % 2 else light
