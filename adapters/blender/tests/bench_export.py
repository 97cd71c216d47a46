# Benchmark inside Blender on the bench scene (bench_scene.py): full snapshot exports (ids,
# transforms, mesh summaries with geometry hashes, materials, scene hash, JSON), and one stream pass
# after moving one object, incremental (what Blender does while you drag) and full (the fallback).
# Prints one JSON line: "BENCH {...}".
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
import bpy  # noqa: E402

from bench_scene import build  # noqa: E402
from vibesync_blender.blender import app_handlers, export, running  # noqa: E402
from vibesync_blender.blender.stream import Streamer  # noqa: E402
from vibesync_blender.core import canonical, ids  # noqa: E402

args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
t0 = time.perf_counter()
scene = build(int(args[0]) if args else 1000, int(args[1]) if len(args) > 1 else 100_000)
build_s = time.perf_counter() - t0


def ms(f, runs):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(out), 2), round(min(out), 2)


size = [0]


def snapshot():
    wire = export.export_scene(scene)
    text = json.dumps({"reason": "initial", "scene": wire, "hash": canonical.scene_hash(wire)}, separators=(",", ":"), ensure_ascii=False)
    size[0] = len(text.encode("utf-8"))


export_median, export_min = ms(snapshot, 5)


class Stub:
    stream = Streamer()


ids.current = ids.IdRegistry()
running._adapter = Stub()
app_handlers.add_handlers()
stream = Stub.stream
stream.set_known(stream.current(scene), scene)  # what the initial snapshot records (known and the signature)
target = bpy.data.objects["obj%d" % (len(scene.objects) // 2)]
step = [0]


def one_pass(full):
    step[0] += 1
    target.location.x = step[0] * 0.01
    bpy.context.view_layer.update()
    stream.changes.full = full
    muts, cur, how = stream.take(scene, ["unity"])
    assert len(muts) == 1 and how["full"] == full, (muts, how)
    stream.accept(muts, cur)


partial_median, _ = ms(lambda: one_pass(False), 30)
full_median, _ = ms(lambda: one_pass(True), 10)
total_vertices = sum(len(o.data.vertices) for o in scene.objects)
print("BENCH " + json.dumps({"objects": len(scene.objects), "vertices": total_vertices, "export_ms_median": export_median,
                             "export_ms_min": export_min, "bytes": size[0], "build_s": round(build_s, 2),
                             "stream_pass_ms_incremental": partial_median, "stream_pass_ms_full": full_median}), flush=True)
