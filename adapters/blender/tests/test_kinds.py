# Inside Blender: lights and cameras as first-class kinds (their own data, read back from Blender,
# never echoed), and the not-synced marks. Run by blender_suite.py.
import json
import math
import os
import unittest

import bpy

from vibesync_blender.blender import export
from vibesync_blender.blender.apply import apply_mutations
from vibesync_blender.core import canonical

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "data", "golden", "canonical-vectors.json")


def scene():
    return bpy.context.scene


def wire(obj):
    export.ensure_object_ids(scene())
    return next(o for o in export.export_scene(scene())["objects"] if o["id"] == obj["vibesync_id"])


def golden_kinds():
    with open(GOLDEN, encoding="utf-8") as f:
        vectors = json.load(f)["vectors"]
    return [v["input"] for v in vectors if v["kind"] == "object" and (v["input"].get("light") or v["input"].get("camera"))]


class KindTests(unittest.TestCase):
    def setUp(self):
        bpy.ops.wm.read_factory_settings(use_empty=False)

    def test_the_default_light_and_camera_export_their_own_data_in_wire_units(self):
        light = wire(bpy.data.objects["Light"])["light"]
        self.assertEqual((light["kind"], light["intensity"], light["spot"]), ("point", 1000.0, None))
        cam = wire(bpy.data.objects["Camera"])["camera"]
        # 50 mm on a 36 mm sensor fitted to the width of 1920 x 1080: vertical FOV = 2 atan(18/50 x 1080/1920)
        self.assertEqual(cam["projection"], "perspective")
        self.assertAlmostEqual(cam["yfov"], 2 * math.atan(18 / 50 * 1080 / 1920), places=6)
        self.assertAlmostEqual(cam["near"], 0.1, places=6)
        self.assertAlmostEqual(cam["far"], 100.0, places=4)
        self.assertNotIn("notSynced", wire(bpy.data.objects["Cube"]))

    def test_every_golden_light_and_camera_arrives_as_itself_and_re_exports_to_the_same_canonical_form(self):
        for o in golden_kinds():
            with self.subTest(o["id"]):
                o = dict(o, parent=None)
                sb = apply_mutations(scene(), [{"mid": "m", "targets": ["blender"], "op": "create", "object": o}])
                sb.commit()
                back = wire(next(x for x in scene().objects if x.get("vibesync_id") == o["id"]))
                key = "light" if o.get("light") else "cam"
                self.assertEqual(canonical.canonical_object(back)[key], canonical.canonical_object(o)[key])
        sun = next(x for x in scene().objects if x.get("vibesync_id") == "obj-sun")
        self.assertEqual(sun.data.type, "SUN")
        ortho = next(x for x in scene().objects if x.get("vibesync_id") == "obj-ortho")
        self.assertEqual(ortho.data.type, "ORTHO")

    def test_a_light_change_rolls_back_exactly(self):
        lamp = bpy.data.objects["Light"]
        before = wire(lamp)
        spot = {"kind": "spot", "color": [1.0, 0.0, 0.0], "intensity": 5.0, "range": 3.0, "spot": {"inner": 0.1, "outer": 0.4}}
        sb = apply_mutations(scene(), [{"mid": "m", "targets": ["blender"], "op": "set_props", "objectId": before["id"],
                                        "props": {"light": spot}}])
        self.assertEqual(canonical.canonical_object(wire(lamp))["light"], canonical.canonical_light(spot))
        sb.rollback()
        self.assertEqual(wire(bpy.data.objects["Light"]), before)
        self.assertEqual(bpy.data.objects["Light"].data.type, "POINT")

    def test_loose_edges_and_extra_uv_layers_are_marked_and_the_mark_goes_once_they_do(self):
        me = bpy.data.meshes.new("Wire")
        me.from_pydata([(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0), (3, 3, 3)], [(2, 4)], [(0, 1, 2, 3)])
        me.update()
        me.uv_layers.new(name="Lightmap")
        me.uv_layers.new(name="Detail")
        me.uv_layers.active = me.uv_layers["Lightmap"]
        scene().collection.objects.link(bpy.data.objects.new("Wire", me))
        mark = wire(bpy.data.objects["Wire"])["notSynced"]
        self.assertEqual(mark["kind"], "other")
        self.assertEqual(mark["reason"], "1 loose edge(s) (in no face) not sent: only their vertices travel; "
                                         "UV layer(s) Detail not sent: only the active one travels")
        me.uv_layers.remove(me.uv_layers["Detail"])
        self.assertEqual(wire(bpy.data.objects["Wire"])["notSynced"]["reason"],
                         "1 loose edge(s) (in no face) not sent: only their vertices travel")
        import bmesh
        bm = bmesh.new()
        bm.from_mesh(me)
        bm.edges.ensure_lookup_table()
        bm.edges.remove(next(e for e in bm.edges if not e.link_faces))
        bm.to_mesh(me)
        bm.free()
        self.assertNotIn("notSynced", wire(bpy.data.objects["Wire"]))

    def test_what_the_wire_cannot_carry_is_marked_with_a_reason(self):
        arm = bpy.data.objects.new("Rig", bpy.data.armatures.new("Rig"))
        scene().collection.objects.link(arm)
        text = bpy.data.objects.new("Title", bpy.data.curves.new("Title", "FONT"))
        scene().collection.objects.link(text)
        bpy.data.objects["Cube"].modifiers.new("Subdivision", "SUBSURF")
        inst = bpy.data.objects.new("Props", None)
        inst.instance_type = "COLLECTION"
        inst.instance_collection = bpy.data.collections["Collection"]
        scene().collection.objects.link(inst)
        marks = {name: wire(bpy.data.objects[name]).get("notSynced") for name in ("Rig", "Title", "Cube", "Props", "Light")}
        self.assertEqual(marks["Rig"]["kind"], "armature")
        self.assertEqual(marks["Title"]["kind"], "text")
        self.assertEqual(marks["Cube"], {"kind": "modifiers", "reason": "1 modifier(s) not applied (Subdivision): the base mesh is sent"})
        self.assertEqual(marks["Props"]["kind"], "instance")
        self.assertIn("Collection", marks["Props"]["reason"])
        self.assertIsNone(marks["Light"])
        # a mark is not hashed: it says what the source lacks, not what a target must hold
        cube = wire(bpy.data.objects["Cube"])
        self.assertEqual(canonical.object_hash(cube), canonical.object_hash(dict(cube, notSynced=None)))
