import bpy

root = bpy.data.objects.new("FurnitureRoot", None)
bpy.context.scene.collection.objects.link(root)
for obj in bpy.data.objects:
    if obj.name.startswith(("Chair", "Table", "Lamp")):
        obj.parent = root
        obj.matrix_parent_inverse = root.matrix_world.inverted()
