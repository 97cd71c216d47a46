# Golden vectors: the Python hashing must reproduce every canonical form and SHA-256 the
# TypeScript reference wrote to data/golden/canonical-vectors.json. Runs in python3 and in Blender.
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from vibesync_blender.core import canonical as c  # noqa: E402

GOLDEN = os.path.join(HERE, "..", "..", "..", "data", "golden", "canonical-vectors.json")


class GoldenVectors(unittest.TestCase):
    def setUp(self):
        with open(GOLDEN, encoding="utf-8") as f:
            self.golden = json.load(f)

    def test_steps_agree(self):
        self.assertEqual(self.golden["steps"], c.STEPS)

    def test_every_vector(self):
        kinds = set()
        for v in self.golden["vectors"]:
            with self.subTest(v["name"]):
                kind, inp = v["kind"], v["input"]
                kinds.add(kind)
                if kind == "object":
                    self.assertEqual(c.canonical_json(c.canonical_object(inp)), v["canonical"])
                    self.assertEqual(c.object_hash(inp), v["sha256"])
                elif kind == "material":
                    self.assertEqual(c.canonical_json(c.canonical_material(inp)), v["canonical"])
                    self.assertEqual(c.material_hash(inp), v["sha256"])
                elif kind == "scene":
                    self.assertEqual(c.scene_canonical(inp), v["canonical"])
                    self.assertEqual(c.scene_hash(inp), v["sha256"])
                elif kind == "tx":
                    self.assertEqual(c.tx_canonical(inp), v["canonical"])
                    self.assertEqual(c.tx_hash(inp), v["sha256"])
                elif kind == "geometry":
                    self.assertEqual(c.geometry_canonical(inp["positions"], inp["faces"]), v["canonical"])
                    self.assertEqual(c.geometry_hash(inp["positions"], inp["faces"]), v["sha256"])
                else:
                    self.fail("unknown vector kind %s" % kind)
        self.assertEqual(kinds, {"object", "material", "scene", "tx", "geometry"})

    def test_quaternion_sign_fold(self):
        self.assertEqual(c.quantise_quat([0, 0, 0, -1]), [0, 0, 0, 1000000])
        self.assertEqual(c.quantise_quat([0, -2, 0, 0]), [0, 1000000, 0, 0])

    def test_non_finite_refused(self):
        with self.assertRaises(c.NonFinite):
            c.quantise(float("nan"), 1e-4)
        with self.assertRaises(c.NonFinite):
            c.quantise_quat([0, 0, 0, 0])


if __name__ == "__main__":
    unittest.main()
