# run an arbitrary file through an operator
import bpy
bpy.ops.script.python_file_run(filepath="/tmp/payload.py")
