# Golden mesh blobs: the Python encoder must reproduce, byte for byte, every blob and SHA-256 the
# TypeScript reference wrote to data/golden/mesh-vectors.json. Runs in python3 and in Blender.
import json
import os
import sys
import unittest
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from vibesync_blender.core import mesh  # noqa: E402

GOLDEN = os.path.join(HERE, "..", "..", "..", "data", "golden", "mesh-vectors.json")


class MeshVectors(unittest.TestCase):
    def setUp(self):
        with open(GOLDEN, encoding="utf-8") as f:
            self.golden = json.load(f)

    def test_every_vector(self):
        self.assertEqual(self.golden["steps"], {"position": mesh.POSITION_STEP, "uv": mesh.UV_STEP})
        for v in self.golden["vectors"]:
            with self.subTest(v["name"]):
                i = v["input"]
                blob = mesh.encode(i["positions"], i["faceSizes"], i["corners"], i["slots"], i["uvs"])
                self.assertEqual(blob.hex(), v["blob"])
                self.assertEqual(mesh.blob_hash(blob), v["sha256"])
                self.assertEqual(mesh.summary(blob), v["summary"])

    def test_float32_storage_round_trips(self):
        # what a target holds (float32 of the decoded metres) re-encodes to the same blob
        v = self.golden["vectors"][1]
        blob = bytes.fromhex(v["blob"])
        d = mesh.decode(blob)
        held = array("f", mesh.positions_metres(d))
        uvs = array("f", mesh.uvs_from_blob(d))
        again = mesh.encode(list(held), list(d["face_sizes"]), list(d["corners"]), list(d["slots"]), list(uvs))
        self.assertEqual(again, blob)

    def test_refusals_are_typed(self):
        with self.assertRaises(mesh.MeshError) as e:
            mesh.encode([0, 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 3])
        self.assertEqual(e.exception.code, "SCHEMA_VIOLATION")
        with self.assertRaises(mesh.MeshError) as e:
            mesh.encode([float("nan"), 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 2])
        self.assertEqual(e.exception.code, "NON_FINITE")
        with self.assertRaises(mesh.MeshError) as e:
            mesh.encode([300000.0, 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 2])
        self.assertEqual(e.exception.code, "NON_FINITE")
        with self.assertRaises(mesh.MeshError):
            mesh.decode(b"PNG not a mesh at all")


if __name__ == "__main__":
    unittest.main()
