# Texture blobs: the Python reading of image headers, the blob hash and the canonical material must
# reproduce data/golden/texture-vectors.json (written by the TypeScript reference). Runs in python3
# and in Blender.
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from vibesync_blender.core import canonical, image  # noqa: E402

GOLDEN = os.path.join(HERE, "..", "..", "..", "data", "golden", "texture-vectors.json")


class TextureVectors(unittest.TestCase):
    def setUp(self):
        with open(GOLDEN, encoding="utf-8") as f:
            self.golden = json.load(f)

    def test_images(self):
        for v in self.golden["images"]:
            with self.subTest(v["name"]):
                data = bytes.fromhex(v["bytes"])
                self.assertEqual(image.blob_hash(data), v["sha256"])
                self.assertEqual(image.image_info(data), v["info"])

    def test_materials(self):
        for v in self.golden["materials"]:
            with self.subTest(v["name"]):
                self.assertEqual(canonical.canonical_json(canonical.canonical_material(v["input"])), v["canonical"])
                self.assertEqual(canonical.material_hash(v["input"]), v["sha256"])

    def test_encode_png_round_trips_its_header(self):
        rows = [bytes([x * 40, y * 60, 0, 255]) * 1 for y in range(3) for x in range(1)]
        png = image.encode_png(1, 3, rows)
        self.assertEqual(image.image_info(png), {"format": "png", "width": 1, "height": 3})
        self.assertEqual(png, image.encode_png(1, 3, rows))  # same pixels, same bytes, same hash
        with self.assertRaises(ValueError):
            image.encode_png(2, 3, rows)


if __name__ == "__main__":
    unittest.main()
