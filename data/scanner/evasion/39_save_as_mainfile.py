# write the scene somewhere else
import bpy
bpy.ops.wm.save_as_mainfile(filepath="/tmp/exfil.blend")
