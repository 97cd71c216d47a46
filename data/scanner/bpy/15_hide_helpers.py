import bpy

helpers = {"Empty", "Helper", "Guide"}
for obj in bpy.data.objects:
    is_helper = any(obj.name.startswith(h) for h in helpers)
    obj.hide_viewport = is_helper
    obj.hide_render = is_helper
