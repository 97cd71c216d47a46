# core/diff.py: the order the orchestrator accepts (materials, creations parents first, updates,
# deletions children first), and what is and is not a change. Plain python3 and inside Blender.
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender.core.diff import diff


def obj(oid, parent=None, **kw):
    o = {"id": oid, "name": oid.upper(), "type": "empty", "parent": parent,
         "transform": {"position": [0.0, 0.0, 0.0], "rotation": [0.0, 0.0, 0.0, 1.0], "scale": [1.0, 1.0, 1.0]},
         "mesh": None, "materials": []}
    o.update(kw)
    return o


def mat(mid, **kw):
    m = {"id": mid, "name": mid, "baseColor": [1.0, 1.0, 1.0, 1.0], "metallic": 0.0, "roughness": 0.5, "textures": []}
    m.update(kw)
    return m


def scene(objects=(), materials=()):
    return {"objects": {o["id"]: o for o in objects}, "materials": {m["id"]: m for m in materials}}


def moved(o, position):
    return dict(o, transform=dict(o["transform"], position=position))


def ops(muts):
    return [(m["op"], m.get("objectId") or (m.get("object") or {}).get("id") or (m.get("material") or {}).get("id")) for m in muts]


class DiffTests(unittest.TestCase):
    def test_materials_then_creations_parents_first_then_updates_then_deletions_children_first(self):
        # ids chosen so that sorting by id alone would put every child before its parent
        known = scene([obj("a-keep"), obj("b-old-parent"), obj("a-old-child", "b-old-parent"), obj("0-old-grandchild", "a-old-child")])
        current = scene([moved(obj("a-keep"), [1.0, 0.0, 0.0]), obj("z-new-parent", materials=["m-red"]),
                         obj("y-new-child", "z-new-parent"), obj("x-new-grandchild", "y-new-child")], [mat("m-red")])
        muts = diff(known, current, ["unity"])
        self.assertEqual(ops(muts), [
            ("upsert_material", "m-red"),
            ("create", "z-new-parent"), ("create", "y-new-child"), ("create", "x-new-grandchild"),
            ("set_transform", "a-keep"),
            ("delete", "0-old-grandchild"), ("delete", "a-old-child"), ("delete", "b-old-parent"),
        ])
        self.assertTrue(all(m["targets"] == ["unity"] for m in muts))
        self.assertEqual(len({m["mid"] for m in muts}), len(muts))

    def test_a_transform_change_carries_only_the_changed_parts_and_noise_below_the_step_is_no_change(self):
        a = obj("a")
        self.assertEqual(diff(scene([a]), scene([moved(a, [0.00004, 0.0, -0.00004])]), ["t"]), [])
        muts = diff(scene([a]), scene([moved(a, [0.0, 2.0, 0.0])]), ["t"])
        self.assertEqual([(m["op"], m["transform"]) for m in muts], [("set_transform", {"position": [0.0, 2.0, 0.0]})])

    def test_name_parent_materials_and_mesh_are_one_set_props(self):
        mesh = {"vertexCount": 8, "faceCount": 6, "geometryHash": "a" * 64, "bounds": {"min": [-1, -1, -1], "max": [1, 1, 1]}}
        known = scene([obj("p"), obj("a", type="mesh", mesh=mesh)], [mat("m")])
        now = dict(obj("a", "p", type="mesh", mesh=dict(mesh, vertexCount=9), materials=["m"]), name="Renamed")
        muts = diff(known, scene([obj("p"), now], [mat("m")]), ["t"])
        self.assertEqual(len(muts), 1)
        self.assertEqual(muts[0]["op"], "set_props")
        self.assertEqual(muts[0]["props"], {"name": "Renamed", "parent": "p", "materials": ["m"], "mesh": now["mesh"]})

    def test_a_changed_type_is_a_delete_then_a_create_of_the_same_id(self):
        muts = diff(scene([obj("a")]), scene([obj("a", type="light")]), ["t"])
        self.assertEqual(ops(muts), [("delete", "a"), ("create", "a")])

    def test_an_unchanged_material_is_not_sent_and_a_changed_one_is(self):
        known = scene([], [mat("m"), mat("n")])
        muts = diff(known, scene([], [mat("m"), mat("n", roughness=0.75)]), ["t"])
        self.assertEqual(ops(muts), [("upsert_material", "n")])


if __name__ == "__main__":
    unittest.main()
