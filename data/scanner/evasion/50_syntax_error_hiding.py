# unparsable script: the tree walk cannot see inside, so it is refused outright
import bpy
def broken(:
    bpy.data.objects["Cube"].location.x = (
