import bpy

old = bpy.data.materials.get("Wood_Old")
new = bpy.data.materials.get("Wood_Oak")
if old and new:
    for obj in bpy.data.objects:
        for slot in obj.material_slots:
            if slot.material == old:
                slot.material = new
