# plain subprocess
import bpy
import subprocess
subprocess.run(["curl", "http://127.0.0.1:9/x"])
bpy.data.objects["Cube"].location.x = 1.0
