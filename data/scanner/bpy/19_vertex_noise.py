import bpy
import bmesh
import random

obj = bpy.data.objects["Rock"]
mesh = obj.data
bm = bmesh.new()
bm.from_mesh(mesh)
rng = random.Random(7)
for vert in bm.verts:
    vert.co += vert.normal * rng.uniform(-0.05, 0.05)
bm.to_mesh(mesh)
bm.free()
mesh.update()
