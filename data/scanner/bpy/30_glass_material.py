import bpy

glass = bpy.data.materials.new("Glass")
glass.use_nodes = True
principled = glass.node_tree.nodes["Principled BSDF"]
values = {"Roughness": 0.02, "IOR": 1.45, "Transmission": 1.0}
for key, value in values.items():
    if key in principled.inputs:
        principled.inputs[key].default_value = value
glass.blend_method = 'BLEND'
for name in ("Window_L", "Window_R"):
    window = bpy.data.objects.get(name)
    if window:
        window.active_material = glass
