# a file path written as a for target
import bpy
for bpy.context.scene.render.filepath in ["/tmp/x"]:
    pass
