import bpy
from mathutils import Vector

camera = bpy.data.objects["Camera"]
target = bpy.data.objects["Cube"].location
direction = Vector(target) - camera.location
camera.rotation_mode = 'QUATERNION'
camera.rotation_quaternion = direction.to_track_quat('-Z', 'Y')
