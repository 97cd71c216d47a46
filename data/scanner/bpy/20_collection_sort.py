import bpy

by_type = {}
for obj in bpy.context.scene.objects:
    by_type.setdefault(obj.type, []).append(obj)

for kind, members in by_type.items():
    name = f"Type_{kind.title()}"
    coll = bpy.data.collections.get(name) or bpy.data.collections.new(name)
    if coll.name not in bpy.context.scene.collection.children:
        bpy.context.scene.collection.children.link(coll)
    for obj in members:
        if obj.name not in coll.objects:
            coll.objects.link(obj)
