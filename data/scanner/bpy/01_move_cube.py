# Move the default cube up by one metre and rotate it 45 degrees around Z.
import bpy
import math

cube = bpy.data.objects["Cube"]
cube.location.z += 1.0
cube.rotation_euler[2] = math.radians(45)
