import bpy

post = bpy.data.objects["FencePost"]
array = post.modifiers.new(name="FenceArray", type='ARRAY')
array.count = 12
array.relative_offset_displace = (3.0, 0.0, 0.0)
array.use_merge_vertices = True
