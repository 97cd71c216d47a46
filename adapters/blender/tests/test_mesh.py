# Golden mesh blobs: the Python encoder must reproduce, byte for byte, every blob and SHA-256 the
# TypeScript reference wrote to data/golden/mesh-vectors.json. Runs in python3 and in Blender.
import json
import os
import random
import sys
import unittest
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from vibesync_blender.core import blobs, mesh, mesh_arrays  # noqa: E402

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


def random_mesh(rng, nv):
    """Positions on and beside the grid's half-steps, faces of 3-5 corners, slots, float32 UVs."""
    pos = [rng.choice([rng.uniform(-100, 100), rng.uniform(-1e-3, 1e-3), 0.00005, -0.00005, 0.00015]) for _ in range(3 * nv)]
    sizes = [rng.randint(3, 5) for _ in range(rng.randint(0, 20))]
    corners = [rng.randrange(nv) for _ in range(sum(sizes))]
    slots = [rng.randint(0, 3) for _ in sizes]
    uvs = list(array("f", [rng.uniform(-2, 2) for _ in range(2 * len(corners))])) if rng.random() < 0.7 else None
    return pos, sizes, corners, slots, uvs


@unittest.skipUnless(mesh_arrays.AVAILABLE, "this Python has no numpy: the add-on encodes with mesh.encode alone")
class ArrayEncoder(unittest.TestCase):
    """core/mesh_arrays.py (numpy, what Blender uses) writes the bytes mesh.encode writes."""

    def test_golden_vectors(self):
        with open(GOLDEN, encoding="utf-8") as f:
            golden = json.load(f)
        for v in golden["vectors"]:
            i = v["input"]
            blob, summary = mesh_arrays.encode(i["positions"], i["faceSizes"], i["corners"], i["slots"], i["uvs"])
            self.assertEqual(bytes(blob).hex(), v["blob"])
            self.assertEqual(summary, v["summary"])

    def test_random_meshes_and_their_edits_equal_the_list_encoder(self):
        np = mesh_arrays.np
        rng = random.Random(7)
        sections = mesh_arrays.Sections()
        for _ in range(200):
            pos, sizes, corners, slots, uvs = random_mesh(rng, rng.randint(3, 50))
            for _edit in range(3):  # the same faces and UVs, one vertex moved: sections are reused
                blob, summary = mesh_arrays.encode(np.array(pos), np.array(sizes, np.int32), np.array(corners, np.int32),
                                                   np.array(slots, np.int32), None if uvs is None else np.array(uvs, np.float32),
                                                   sections)
                want = mesh.encode(pos, sizes, corners, slots, uvs)
                self.assertEqual(bytes(blob), want)
                self.assertEqual(summary, mesh.summary(want))
                pos[rng.randrange(len(pos))] += rng.choice([1e-4, 0.5, -3.0])
        self.assertGreater(sections.hits, 400)

    def test_refusals_are_the_list_encoders(self):
        cases = [([float("nan"), 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 2]), ([300000.0, 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 2]),
                 ([1e39, 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 2]), ([0, 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 3]),
                 ([0, 0, 0, 1, 0, 0, 0, 1, 0], [2], [0, 1]), ([0, 0, 0, 1, 0, 0, 0, 1, 0], [3], [0, 1, 2, 0]),
                 ([0, 0, 0, 1, 0, 0, 0, 1, 0, 5], [3], [0, 1, 2])]
        for pos, sizes, corners in cases:
            with self.subTest(pos=pos, sizes=sizes, corners=corners):
                with self.assertRaises(mesh.MeshError) as want:
                    mesh.encode(pos, sizes, corners)
                with self.assertRaises(mesh.MeshError) as got:
                    mesh_arrays.encode(pos, sizes, corners)
                self.assertEqual((got.exception.code, str(got.exception)), (want.exception.code, str(want.exception)))


class HeldBlobs(unittest.TestCase):
    """blobs.made keeps each owner's latest export; what the orchestrator sent is never dropped."""

    def setUp(self):
        self.saved = (dict(blobs.HELD), set(blobs.RECEIVED), dict(blobs._latest), dict(blobs._owners))

    def tearDown(self):
        for target, old in zip((blobs.HELD, blobs.RECEIVED, blobs._latest, blobs._owners), self.saved):
            target.clear()
            target.update(old)

    def test_an_owners_previous_blob_goes_unless_another_owner_or_the_orchestrator_holds_it(self):
        blobs.made("a1", b"A1", ("mesh", "A"))
        blobs.made("same", b"S", ("mesh", "B"))
        blobs.made("same", b"S", ("mesh", "C"))
        blobs.received("sent", b"R")
        blobs.made("sent", b"R", ("mesh", "D"))
        blobs.made("a2", b"A2", ("mesh", "A"))
        blobs.made("b2", b"B2", ("mesh", "B"))
        blobs.made("d2", b"D2", ("mesh", "D"))
        self.assertNotIn("a1", blobs.HELD)   # replaced by A's next export
        self.assertIn("same", blobs.HELD)    # still C's latest
        self.assertIn("sent", blobs.HELD)    # the orchestrator sent it: a resync may name it again
        blobs.made("c2", b"C2", ("mesh", "C"))
        self.assertNotIn("same", blobs.HELD)
        self.assertEqual(sorted(h for h in blobs.HELD if h in {"a2", "b2", "c2", "d2", "sent"}), ["a2", "b2", "c2", "d2", "sent"])


if __name__ == "__main__":
    unittest.main()
