# The benchmark scene: N objects with unique grid meshes totalling about V vertices, one shared
# material. Imported by bench_export.py; run on its own it saves the scene for bench/blender.ts:
#   blender -b --factory-startup --python bench_scene.py -- OUT.blend [N] [V]
import sys

import bpy


def build(objects=1000, vertices=100_000):
    side = max(2, int(round((vertices / objects) ** 0.5)))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    mat = bpy.data.materials.new("Shared")
    mat.use_nodes = True
    verts = [(x * 0.1, y * 0.1, 0.0) for y in range(side) for x in range(side)]
    faces = [(y * side + x, y * side + x + 1, (y + 1) * side + x + 1, (y + 1) * side + x) for y in range(side - 1) for x in range(side - 1)]
    for i in range(objects):
        me = bpy.data.meshes.new("grid%d" % i)
        me.from_pydata([(vx, vy, vz + i * 0.001) for vx, vy, vz in verts], [], faces)
        me.materials.append(mat)
        obj = bpy.data.objects.new("obj%d" % i, me)
        obj.location = (i % 40, (i // 40) % 40, i // 1600)
        scene.collection.objects.link(obj)
    return scene


if __name__ == "__main__":
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    build(int(args[1]) if len(args) > 1 else 1000, int(args[2]) if len(args) > 2 else 100_000)
    bpy.ops.wm.save_as_mainfile(filepath=args[0])
    print("SAVED " + args[0], flush=True)
