# Incremental streaming inside Blender: the real depsgraph handler notes what changed, the streamer
# exports only that (no full pass) for edits of existing objects and materials, takes the full
# path for structural changes, and its result always equals what a full comparison would send.
import unittest

import bpy

from vibesync_blender.blender import app_handlers, export, running
from vibesync_blender.blender.stream import Streamer
from vibesync_blender.core import ids
from vibesync_blender.core.changes import Changes
from vibesync_blender.core.mutation import subject


class Stub:
    def __init__(self):
        self.stream = Streamer()


def update():
    bpy.context.view_layer.update()  # fires depsgraph_update_post, as Blender's event loop does


class StreamTests(unittest.TestCase):
    def setUp(self):
        bpy.ops.wm.read_factory_settings(use_empty=False)
        ids.current = ids.IdRegistry()
        self.stub = Stub()
        running._adapter = self.stub
        app_handlers.add_handlers()
        self.s = self.stub.stream
        update()
        self.s.set_known(self.s.current(bpy.context.scene), bpy.context.scene)
        self.s.forget_changes()

    def tearDown(self):
        app_handlers.remove_handlers()
        running._adapter = None
        ids.current = None

    def take(self, exclude=()):
        update()
        muts, cur, how = self.s.take(bpy.context.scene, ["unity"], exclude)
        self.s.accept(muts, cur)
        # whatever the path, a full comparison afterwards finds nothing left to send
        self.s.changes.full = True
        rest, _, _ = self.s.take(bpy.context.scene, ["unity"])
        self.assertEqual([m for m in rest if subject(m)[1] not in exclude], [])  # only the held-back subjects remain
        return [m["op"] for m in muts], muts, how

    def oid(self, name):
        return bpy.data.objects[name]["vibesync_id"]

    def test_moving_renaming_and_reparenting_an_object_export_only_that_object(self):
        bpy.data.objects["Cube"].location.x = 2
        ops, muts, how = self.take()
        self.assertEqual((ops, how["full"]), (["set_transform"], False))
        bpy.data.objects["Cube"].name = "Box"
        ops, muts, how = self.take()
        self.assertEqual((ops, muts[0]["props"], how["full"]), (["set_props"], {"name": "Box"}, False))
        bpy.data.objects["Box"].parent = bpy.data.objects["Camera"]
        ops, muts, how = self.take()
        self.assertEqual((ops, muts[0]["props"]["parent"], how["full"]), (["set_props"], self.oid("Camera"), False))

    def test_material_edits_and_a_new_material_on_an_object_are_partial(self):
        mat = bpy.data.materials["Material"]
        mat.node_tree.nodes["Principled BSDF"].inputs["Roughness"].default_value = 0.9
        ops, _, how = self.take()
        self.assertEqual((ops, how["full"]), (["upsert_material"], False))
        red = bpy.data.materials.new("Red")
        bpy.data.objects["Cube"].data.materials.append(red)
        ops, muts, how = self.take()
        self.assertEqual((ops, how["full"]), (["upsert_material", "set_props"], False))
        self.assertEqual(muts[1]["props"]["materials"][-1], red["vibesync_id"])

    def test_a_light_or_camera_data_edit_streams_its_new_data_without_a_full_pass(self):
        bpy.data.lights["Light"].energy = 250.0
        bpy.data.cameras["Camera"].lens = 35.0
        ops, muts, how = self.take()
        self.assertEqual((sorted(ops), how["full"]), (["set_props", "set_props"], False))
        props = {m["objectId"]: m["props"] for m in muts}
        self.assertEqual(props[self.oid("Light")]["light"]["intensity"], 250.0)
        self.assertIn("camera", props[self.oid("Camera")])

    def test_a_mesh_edit_re_summarises_the_mesh(self):
        me = bpy.data.objects["Cube"].data
        me.vertices[0].co.x = -3
        me.update()
        ops, muts, how = self.take()
        self.assertEqual((ops, how["full"]), (["set_props"], False))
        self.assertEqual(muts[0]["props"]["mesh"]["bounds"]["min"][0], -3.0)

    def test_adding_deleting_and_unit_scale_take_the_full_path(self):
        extra = bpy.data.objects.new("Extra", None)
        bpy.context.scene.collection.objects.link(extra)
        ops, _, how = self.take()
        self.assertEqual((ops, how["full"]), (["create"], True))
        bpy.data.objects.remove(bpy.data.objects["Light"])
        ops, _, how = self.take()
        self.assertEqual((ops, how["full"]), (["delete"], True))
        bpy.context.scene.unit_settings.scale_length = 2.0
        ops, _, how = self.take()
        self.assertTrue(how["full"])
        self.assertIn("set_transform", ops)

    def test_unlinking_a_parent_reparents_its_children_first_and_they_keep_their_world_transform(self):
        pivot = bpy.data.objects.new("Pivot", None)
        bpy.context.scene.collection.objects.link(pivot)
        pivot.location = (0.0, 0.0, 5.0)
        cube = bpy.data.objects["Cube"]
        cube.parent = pivot  # no parent inverse: the cube moves up with the pivot
        self.take()
        update()
        world = cube.matrix_world.translation.copy()
        bpy.context.scene.collection.objects.unlink(pivot)  # the Outliner's "Unlink": the pivot stays in the file
        ops, muts, how = self.take()
        self.assertEqual(ops, ["set_transform", "set_props", "delete"])  # children first, as the orchestrator requires
        self.assertEqual(muts[1]["props"], {"parent": None})
        self.assertEqual(muts[2]["objectId"], pivot["vibesync_id"])
        pos = muts[0]["transform"]["position"]
        self.assertEqual([round(v, 4) for v in pos], [round(world.x, 4), round(world.z, 4), round(-world.y, 4)])

    def test_subjects_of_an_open_transaction_are_held_back_and_looked_at_again(self):
        cube = self.oid("Cube")
        bpy.data.objects["Cube"].location.x = 5
        update()
        muts, cur, _ = self.s.take(bpy.context.scene, ["unity"], {cube})
        self.assertEqual(muts, [])
        self.assertIn("Cube", self.s.changes.objects)
        muts, cur, how = self.s.take(bpy.context.scene, ["unity"])
        self.assertEqual(([m["op"] for m in muts], how["full"]), (["set_transform"], False))

    def test_a_failed_export_keeps_what_changed_for_the_next_pass(self):
        bpy.data.objects["Cube"].location.x = 2
        bpy.data.objects["Camera"].location.x = 3
        update()
        real = export.export_object

        def broken(obj, *args):
            if obj.name == "Camera":
                raise ValueError("a bug in the export")
            return real(obj, *args)

        export.export_object = broken
        try:
            with self.assertRaises(ValueError):
                self.s.take(bpy.context.scene, ["unity"])
        finally:
            export.export_object = real
        self.assertTrue({"Cube", "Camera"} <= self.s.changes.objects)
        muts, _, how = self.s.take(bpy.context.scene, ["unity"])
        self.assertEqual((sorted(m["objectId"] for m in muts), how["full"]), (sorted([self.oid("Cube"), self.oid("Camera")]), False))

    def test_a_unit_scale_change_is_sent_even_when_an_export_read_the_scene_first(self):
        bpy.context.scene.unit_settings.scale_length = 2.0
        update()
        self.s.current(bpy.context.scene)  # an export (a snapshot) in the same tick, before the stream pass
        muts, _, how = self.s.take(bpy.context.scene, ["unity"])
        self.assertTrue(how["full"])
        self.assertIn("set_transform", [m["op"] for m in muts])

    def test_a_held_back_delete_is_looked_at_again_without_a_full_pass(self):
        light = self.oid("Light")
        bpy.data.objects.remove(bpy.data.objects["Light"])
        update()
        muts, cur, how = self.s.take(bpy.context.scene, ["unity"], {light})
        self.assertEqual((muts, how["full"]), ([], True))  # a structural change: full, once
        for _ in range(2):  # the transaction stays open: partial passes, still held back
            self.assertTrue(self.s.changes)
            muts, cur, how = self.s.take(bpy.context.scene, ["unity"], {light})
            self.assertEqual((muts, how["full"]), ([], False))
        muts, cur, how = self.s.take(bpy.context.scene, ["unity"])
        self.assertEqual(([(m["op"], m["objectId"]) for m in muts], how["full"]), ([("delete", light)], False))
        self.s.accept(muts, cur)
        self.assertFalse(self.s.changes)

    def test_changes_noted_by_kind(self):
        ch = Changes()
        for kind, name, geo in (("Object", "A", "MeshA"), ("Material", "M", None), ("ShaderNodeTree", "T", None)):
            ch.note(kind, name, geo)
        self.assertEqual((ch.objects, ch.meshes, ch.materials, ch.full), ({"A"}, {"MeshA"}, {"M"}, False))
        ch.note("Collection", "Scene Collection")
        self.assertTrue(ch.full)


if __name__ == "__main__":
    unittest.main()
