# bpy.path imports os as _os; reach it without ever naming "os" as a module
import bpy
bpy.path._os.remove("/tmp/scene_backup.blend")
