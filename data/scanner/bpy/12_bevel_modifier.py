import bpy

table = bpy.data.objects.get("Table")
if table is not None:
    bevel = table.modifiers.new("Bevel", 'BEVEL')
    bevel.width = 0.02
    bevel.segments = 3
    bevel.limit_method = 'ANGLE'
