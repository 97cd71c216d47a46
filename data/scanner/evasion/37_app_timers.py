# a timer keeps running after the transaction commits
import bpy

def tick():
    bpy.data.objects["Cube"].location.x += 0.1
    return 1.0

bpy.app.timers.register(tick)
