import bpy
import random
import colorsys

random.seed(42)
for i, obj in enumerate(o for o in bpy.data.objects if o.type == 'MESH'):
    hue = random.random()
    r, g, b = colorsys.hsv_to_rgb(hue, 0.7, 0.9)
    mat = bpy.data.materials.new(name=f"Random_{i}")
    mat.diffuse_color = (r, g, b, 1.0)
    obj.active_material = mat
