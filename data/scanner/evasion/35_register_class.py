# register an operator class so it outlives the script
import bpy

class Sneaky(bpy.types.Operator):
    bl_idname = "object.sneaky"
    bl_label = "Sneaky"

    def execute(self, context):
        return {'FINISHED'}

bpy.utils.register_class(Sneaky)
