import bpy

unused = [m for m in bpy.data.materials if m.users == 0]
for mat in unused:
    bpy.data.materials.remove(mat)
for obj in list(bpy.data.objects):
    if obj.name.startswith("Temp_"):
        bpy.data.objects.remove(obj, do_unlink=True)
