# group all lamps under one empty
lamps = scene.create_object("lamps", name="Lamps")
for obj in scene.objects:
    if obj.type == "light" and obj.id != lamps.id:
        obj.parent = lamps.id
