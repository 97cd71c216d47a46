import bpy

for obj in bpy.data.objects:
    if obj.type != 'MESH':
        continue
    if any(m.type == 'SUBSURF' for m in obj.modifiers):
        continue
    mod = obj.modifiers.new(name="Subdivision", type='SUBSURF')
    mod.levels = 2
    mod.render_levels = 3
