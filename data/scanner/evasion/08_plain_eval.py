# eval of a computed expression
import bpy
expr = "bpy.data.objects['Cube'].location.x"
print(eval(expr))
