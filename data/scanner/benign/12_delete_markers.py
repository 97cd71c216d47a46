# remove leftover markers
for obj in list(scene.objects):
    if obj.name.lower().startswith("marker"):
        scene.delete_object(obj.id)
