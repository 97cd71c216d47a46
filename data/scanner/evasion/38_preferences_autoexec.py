# turn on auto-run of scripts in .blend files
import bpy
bpy.context.preferences.filepaths.use_scripts_auto_execute = True
