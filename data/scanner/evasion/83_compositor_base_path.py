# compositor output base_path
import bpy
for n in bpy.context.scene.node_tree.nodes:
    n.base_path = "/tmp/out"
