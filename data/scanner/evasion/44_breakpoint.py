# drop into a debugger inside Blender
import bpy
breakpoint()
