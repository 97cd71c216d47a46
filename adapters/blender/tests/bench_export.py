# Benchmark inside Blender: builds N objects with unique grid meshes totalling V vertices, then
# times full snapshot exports (ids, transforms, mesh summaries with geometry hashes, materials,
# scene hash, JSON) and prints one JSON line: "BENCH {...}".
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import bpy  # noqa: E402

from vibesync_blender import canonical, export  # noqa: E402

args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
objects = int(args[0]) if args else 1000
vertices = int(args[1]) if len(args) > 1 else 100_000
side = max(2, int(round((vertices / objects) ** 0.5)))

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
mat = bpy.data.materials.new("Shared")
mat.use_nodes = True
verts = [(x * 0.1, y * 0.1, 0.0) for y in range(side) for x in range(side)]
faces = [(y * side + x, y * side + x + 1, (y + 1) * side + x + 1, (y + 1) * side + x) for y in range(side - 1) for x in range(side - 1)]
t0 = time.perf_counter()
for i in range(objects):
    me = bpy.data.meshes.new("grid%d" % i)
    me.from_pydata([(vx, vy, vz + i * 0.001) for vx, vy, vz in verts], [], faces)
    me.materials.append(mat)
    obj = bpy.data.objects.new("obj%d" % i, me)
    obj.location = (i % 40, (i // 40) % 40, i // 1600)
    scene.collection.objects.link(obj)
build_s = time.perf_counter() - t0

runs = []
size = 0
for r in range(3):
    t0 = time.perf_counter()
    wire = export.export_scene(scene)
    digest = canonical.scene_hash(wire)
    text = json.dumps({"reason": "initial", "scene": wire, "hash": digest}, separators=(",", ":"), ensure_ascii=False)
    runs.append(time.perf_counter() - t0)
    size = len(text.encode("utf-8"))
runs.sort()
total_vertices = sum(len(o.data.vertices) for o in scene.objects)
print("BENCH " + json.dumps({"objects": len(scene.objects), "vertices": total_vertices, "export_ms_median": round(runs[1] * 1000, 1),
                             "export_ms_min": round(runs[0] * 1000, 1), "bytes": size, "build_s": round(build_s, 2)}), flush=True)
