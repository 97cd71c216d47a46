# write code into a text block and import it as a module
import bpy
txt = bpy.data.texts.new("helper.py")
txt.write("print('loaded')")
txt.as_module()
