# read a system file and smuggle it into an object name
import bpy
secret = open('/etc/passwd').read()
bpy.data.objects["Cube"].name = secret[:60]
