# Benchmark inside Blender of what one mesh or texture edit costs on the main thread:
# - a 227k-vertex grid with UVs (477 x 477 vertices): the mesh blob encoded whole (numpy, the first
#   export of a mesh), by the list encoder (the path without numpy), and one stream pass after moving
#   one vertex (read, encode reusing faces and UVs, SHA-256), alone and with Blender's own update
#   before it (me.update and the depsgraph evaluating the mesh, which any edit costs);
# - a painted 4096² RGBA image encoded to the PNG its texture blob is.
# Prints one JSON line: "BENCH {...}".
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import bpy  # noqa: E402
import numpy as np  # noqa: E402

from vibesync_blender.blender import app_handlers, export, running  # noqa: E402
from vibesync_blender.blender.stream import Streamer  # noqa: E402
from vibesync_blender.core import ids  # noqa: E402

SIDE = 477  # 227,529 vertices


def ms(f, runs):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(out), 1)


bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
bpy.ops.mesh.primitive_grid_add(x_subdivisions=SIDE - 1, y_subdivisions=SIDE - 1, size=4, calc_uvs=True)
grid = bpy.context.active_object
me = grid.data
assert len(me.vertices) == SIDE * SIDE, len(me.vertices)

full_ms = ms(lambda: export.mesh_summary(me, 1.0), 3)
lists_ms = ms(lambda: export._encode_lists(me, 1.0), 1)


class Stub:
    stream = Streamer()


ids.current = ids.IdRegistry()
running._adapter = Stub()
app_handlers.add_handlers()
stream = Stub.stream
bpy.context.view_layer.update()
stream.set_known(stream.current(scene), scene)
step = [0]
passes = []


def one_vertex():
    """Blender's own update (me.update, the depsgraph evaluating the mesh), then the stream pass."""
    step[0] += 1
    me.vertices[SIDE * 200 + 200].co.z = step[0] * 0.01
    me.update()
    bpy.context.view_layer.update()
    muts, cur, how = stream.take(scene, ["unity"])
    assert [m["op"] for m in muts] == ["set_props"] and not how["full"], (muts, how)
    stream.accept(muts, cur)
    passes.append(how["ms"])


one_vertex()  # the mesh's first edit encodes it whole; the next ones reuse its faces and UVs
passes.clear()
edit_ms = ms(one_vertex, 10)
pass_ms = round(statistics.median(passes), 1)

img = bpy.data.images.new("painted", 4096, 4096, alpha=True)
y, x = np.mgrid[0:4096, 0:4096].astype(np.float32) / 4096
rgba = np.stack([x, y, x * y, np.ones_like(x)], axis=2)
rgba[1000:1500, 1000:3000, :3] += np.random.default_rng(1).random((500, 2000, 3), dtype=np.float32) * 0.2
img.pixels.foreach_set(rgba.ravel())
del x, y, rgba
png = export.image_file(img)[0]
png_ms = ms(lambda: export.image_file(img), 3)
print("BENCH " + json.dumps({"vertices": len(me.vertices), "faces": len(me.polygons), "corners": len(me.loops),
                             "mesh_encode_ms": full_ms, "mesh_encode_lists_ms": lists_ms, "one_vertex_edit_pass_ms": pass_ms,
                             "one_vertex_edit_with_depsgraph_ms": edit_ms,
                             "png_4096_ms": png_ms, "png_4096_bytes": len(png)}), flush=True)
