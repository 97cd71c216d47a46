# core/mutation.py: the one way the add-on builds a wire mutation and reads its subject; the
# source stream's diff builds a move the way the protocol spells it.
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from test_diff import moved, obj, scene
from vibesync_blender.core.diff import diff
from vibesync_blender.core.mutation import mutation, subject


class MutationTests(unittest.TestCase):
    def test_a_mutation_has_a_fresh_mid_and_its_own_copy_of_the_targets(self):
        targets = ["unity"]
        a, b = mutation("delete", targets, objectId="x"), mutation("delete", targets, objectId="x")
        self.assertEqual(list(a), ["mid", "targets", "op", "objectId"])
        self.assertNotEqual(a["mid"], b["mid"])
        targets.append("godot")
        self.assertEqual(a["targets"], ["unity"])

    def test_the_subject_of_every_op(self):
        cases = [(mutation("set_transform", ["t"], objectId="o", transform={}), ("object", "o")),
                 (mutation("set_props", ["t"], objectId="o", props={}), ("object", "o")),
                 (mutation("delete", ["t"], objectId="o"), ("object", "o")),
                 (mutation("create", ["t"], object=obj("o")), ("object", "o")),
                 (mutation("set_material", ["t"], materialId="m", changes={}), ("material", "m")),
                 (mutation("upsert_material", ["t"], material={"id": "m"}), ("material", "m"))]
        for m, want in cases:
            self.assertEqual(subject(m), want)

    def test_the_stream_sends_a_move_as_one_set_transform(self):
        a = obj("a")
        by_diff = diff(scene([a]), scene([moved(a, [1.0, 2.0, 3.0])]), ["blender", "unity"])
        strip = [{k: v for k, v in m.items() if k != "mid"} for m in by_diff]
        self.assertEqual(strip, [{"targets": ["blender", "unity"], "op": "set_transform", "objectId": "a",
                                  "transform": {"position": [1.0, 2.0, 3.0]}}])

if __name__ == "__main__":
    unittest.main()
