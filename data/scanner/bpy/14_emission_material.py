import bpy

mat = bpy.data.materials.new("NeonSign")
mat.use_nodes = True
nodes = mat.node_tree.nodes
links = mat.node_tree.links
for node in list(nodes):
    nodes.remove(node)
emission = nodes.new("ShaderNodeEmission")
emission.inputs["Color"].default_value = (1.0, 0.1, 0.6, 1.0)
emission.inputs["Strength"].default_value = 8.0
output = nodes.new("ShaderNodeOutputMaterial")
links.new(emission.outputs["Emission"], output.inputs["Surface"])
bpy.data.objects["Sign"].active_material = mat
