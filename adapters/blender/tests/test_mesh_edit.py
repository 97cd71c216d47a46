# Mesh edits streamed inside Blender: an edit re-reads the mesh in bulk and reuses its faces and UVs
# when only vertices moved (core/mesh_arrays.py Sections). Whatever is reused, the blob streamed is
# byte for byte the blob the plain list encoder (mesh.encode over Blender's values, the path used
# without numpy) makes of the mesh as it is, and a mesh edited again and again keeps only its
# latest blob in blobs.HELD.
import unittest

import bmesh
import bpy

from vibesync_blender.blender import app_handlers, export, running
from vibesync_blender.blender.stream import Streamer
from vibesync_blender.core import blobs, ids, mesh, mesh_arrays


class Stub:
    def __init__(self):
        self.stream = Streamer()


class MeshEditTests(unittest.TestCase):
    def setUp(self):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        bpy.ops.mesh.primitive_grid_add(x_subdivisions=30, y_subdivisions=20, size=2, calc_uvs=True)
        self.obj = bpy.context.active_object
        self.me = self.obj.data
        for name in ("A", "B"):
            self.me.materials.append(bpy.data.materials.new(name))
        for p in list(self.me.polygons)[::3]:
            p.material_index = 1
        ids.current = ids.IdRegistry()
        self.stub = Stub()
        running._adapter = self.stub
        app_handlers.add_handlers()
        self.s = self.stub.stream
        bpy.context.view_layer.update()
        self.s.set_known(self.s.current(bpy.context.scene), bpy.context.scene)
        self.s.forget_changes()

    def tearDown(self):
        app_handlers.remove_handlers()
        running._adapter = None
        ids.current = None

    def streamed_mesh(self):
        """The mesh summary one stream pass sends, checked against a full encode by the list path."""
        self.me.update()
        bpy.context.view_layer.update()
        muts, cur, how = self.s.take(bpy.context.scene, ["unity"])
        self.s.accept(muts, cur)
        self.assertEqual([m["op"] for m in muts], ["set_props"])
        sent = muts[0]["props"]["mesh"]
        want = export._encode_lists(self.me, export.unit_scale(bpy.context.scene))
        self.assertEqual(sent["geometryHash"], mesh.blob_hash(want))
        self.assertEqual(bytes(blobs.HELD[sent["geometryHash"]]), want)
        self.assertEqual(sent, mesh.summary(want))
        return sent, how

    def test_vertex_edits_reuse_faces_and_uvs_and_stream_the_full_exports_blob(self):
        self.assertTrue(mesh_arrays.AVAILABLE, "Blender's Python has numpy here: the bulk path is what runs")
        hashes, hits = [], []
        for i in range(4):
            self.me.vertices[17 + i].co.z += 0.25
            sent, how = self.streamed_mesh()
            self.assertFalse(how["full"])
            hashes.append(sent["geometryHash"])
            hits.append(self.s.mesh_sections[self.me.name].hits)
        self.assertEqual(len(set(hashes)), 4)
        # once the mesh has been encoded, each edit reuses its topology and its UVs
        self.assertEqual([b - a for a, b in zip(hits, hits[1:])], [2, 2, 2])
        # only the latest blob of the mesh is held; the earlier ones are dropped
        self.assertEqual([h in blobs.HELD for h in hashes], [False, False, False, True])

    def test_uv_slot_and_topology_edits_are_never_taken_from_the_last_encode(self):
        self.me.vertices[0].co.x -= 1.0
        self.streamed_mesh()
        self.me.uv_layers.active.data[5].uv = (0.123, 0.456)
        self.streamed_mesh()
        self.me.polygons[4].material_index = 1
        self.streamed_mesh()
        self.me.polygons[4].flip()  # same counts, another winding
        self.streamed_mesh()
        bm = bmesh.new()
        bm.from_mesh(self.me)
        bm.verts.ensure_lookup_table()
        bmesh.ops.delete(bm, geom=[bm.verts[40]], context="VERTS")
        bm.to_mesh(self.me)
        bm.free()
        sent, _ = self.streamed_mesh()
        self.assertEqual(sent["vertexCount"], 31 * 21 - 1)

    def test_a_unit_scale_change_re_encodes_meshes_edited_or_not(self):
        self.me.vertices[3].co.y += 0.5
        self.streamed_mesh()
        bpy.context.scene.unit_settings.scale_length = 2.0
        sent, how = self.streamed_mesh()
        self.assertTrue(how["full"])  # a unit-scale change takes the full path
        self.assertEqual(sent["bounds"]["max"][0], 2.0)  # the 2 m grid at scale 2 spans -2..2
        self.me.vertices[3].co.y += 0.5
        self.streamed_mesh()


if __name__ == "__main__":
    unittest.main()
