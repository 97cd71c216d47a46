# freestyle script modules run on render
import bpy
bpy.context.view_layer.freestyle_settings.modules.new().script = bpy.data.texts["x"]
