# replace the open scene with an attacker file
import bpy
bpy.ops.wm.open_mainfile(filepath="/tmp/evil.blend")
