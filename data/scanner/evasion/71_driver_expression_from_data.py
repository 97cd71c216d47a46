# a driver expression taken from scene data: Blender evaluates it later, outside review
import bpy
fc = bpy.data.objects["Cube"].driver_add("location", 0)
fc.driver.expression = bpy.data.objects["Cube"]["note"]
