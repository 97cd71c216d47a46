import bpy

world = bpy.context.scene.world
world.use_nodes = True
background = world.node_tree.nodes["Background"]
background.inputs[0].default_value = (0.05, 0.07, 0.12, 1.0)
background.inputs[1].default_value = 0.8
