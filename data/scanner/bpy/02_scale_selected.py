import bpy

factor = 1.5
for obj in bpy.context.selected_objects:
    obj.scale = (obj.scale.x * factor, obj.scale.y * factor, obj.scale.z * factor)
