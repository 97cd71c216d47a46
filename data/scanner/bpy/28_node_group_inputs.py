import bpy

mat = bpy.data.materials["Ground"]
tree = mat.node_tree
texture = tree.nodes.new("ShaderNodeTexNoise")
texture.inputs["Scale"].default_value = 12.0
bsdf = tree.nodes["Principled BSDF"]
input_socket = bsdf.inputs["Base Color"]
output_socket = texture.outputs["Color"]
tree.links.new(output_socket, input_socket)
for socket in bsdf.inputs:
    if socket.name == "Roughness":
        socket.default_value = 0.9
