import bpy
import math

turntable = bpy.data.objects["Turntable"]
scene = bpy.context.scene
scene.frame_start = 1
scene.frame_end = 240
turntable.rotation_euler.z = 0.0
turntable.keyframe_insert("rotation_euler", index=2, frame=scene.frame_start)
turntable.rotation_euler.z = 2 * math.pi
turntable.keyframe_insert("rotation_euler", index=2, frame=scene.frame_end)
for fcurve in turntable.animation_data.action.fcurves:
    for point in fcurve.keyframe_points:
        point.interpolation = 'LINEAR'
