"""Bounce the ball: keyframes every 12 frames."""
import bpy

ball = bpy.data.objects["Sphere"]
heights = [0.0, 2.0, 0.0, 1.2, 0.0, 0.5, 0.0]
for i, h in enumerate(heights):
    ball.location.z = h
    ball.keyframe_insert(data_path="location", index=2, frame=1 + i * 12)
