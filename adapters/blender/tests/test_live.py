# Live-lane frames: core/live.py must write every frame of data/golden/live-vectors.json byte for
# byte, read each back to its frame, and refuse every invalid one. Runs in python3 and in Blender.
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from vibesync_blender.core import live  # noqa: E402

GOLDEN = os.path.join(HERE, "..", "..", "..", "data", "golden", "live-vectors.json")


def record(oid, x=0.0):
    return {"id": oid, "position": [x, 0.0, 0.0], "rotation": [0.0, 0.0, 0.0, 1.0], "scale": [1.0, 1.0, 1.0]}


class LiveVectors(unittest.TestCase):
    def setUp(self):
        with open(GOLDEN, encoding="utf-8") as f:
            self.golden = json.load(f)

    def test_every_frame_encodes_to_its_bytes_and_decodes_back(self):
        self.assertGreaterEqual(len(self.golden["vectors"]), 3)
        for v in self.golden["vectors"]:
            with self.subTest(v["name"]):
                f = v["frame"]
                self.assertEqual(live.encode(f["frame"], f["records"]).hex(), v["hex"])
                self.assertEqual(live.decode(bytes.fromhex(v["hex"])), (f["frame"], f["records"]))

    def test_every_invalid_frame_is_refused(self):
        self.assertGreaterEqual(len(self.golden["invalid"]), 7)
        for v in self.golden["invalid"]:
            with self.subTest(v["name"]):
                self.assertEqual(v["error"], "SCHEMA_VIOLATION")
                with self.assertRaises(live.LiveError):
                    live.decode(bytes.fromhex(v["hex"]))


class LiveRules(unittest.TestCase):
    def test_a_writer_refuses_what_a_reader_would(self):
        for frame, records in ((-1, []), (2 ** 32, []), (1, [record("a b")]), (1, [record("")]),
                               (1, [record("x" * 129)]), (1, [record("__proto__")]), (1, [record("é")]),
                               (1, [record("a%d" % i) for i in range(5001)])):
            with self.assertRaises(live.LiveError):
                live.encode(frame, records)

    def test_limits_are_the_docs(self):
        big = live.encode(live.MAX_FRAME, [record("o%d" % i + "x" * 120) for i in range(5000)])
        frame, records = live.decode(big)
        self.assertEqual((frame, len(records)), (live.MAX_FRAME, 5000))
        self.assertLess(len(big), 8 * 1024 * 1024)
        header = bytearray(live.encode(1, []))
        header[8:12] = (5001).to_bytes(4, "little")
        with self.assertRaises(live.LiveError):
            live.decode(bytes(header))

    def test_kind_is_told_from_the_first_byte(self):
        self.assertTrue(live.is_live(live.encode(3, [record("a")])))
        self.assertFalse(live.is_live(b"\x01\x01\x00\x00"))
        with self.assertRaises(live.LiveError):
            live.decode(b"\x01" + live.encode(3, [])[1:])


if __name__ == "__main__":
    unittest.main()
