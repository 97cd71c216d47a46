# prefix names with their type
for obj in scene.objects:
    if not obj.name.startswith(obj.type + "_"):
        obj.name = obj.type + "_" + obj.name
