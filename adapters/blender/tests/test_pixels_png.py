# An image Blender holds only as pixels (generated or painted) travels as the PNG export.image_file
# writes: decoded here by a reader of our own (CRCs, zlib, the None and Up filters), it holds the
# pixels, clamped to 0..1 and rounded to 8 bits, top row first, alpha kept.
import random
import struct
import unittest
import zlib

import bpy

from vibesync_blender.blender import export
from vibesync_blender.core import image


def read_png(data):
    """(width, height, rows of RGBA bytes, top first, filter types) of an 8-bit RGBA PNG."""
    assert data[:8] == image.PNG_SIGNATURE
    at, idat, ihdr = 8, b"", None
    while at < len(data):
        n = struct.unpack(">I", data[at:at + 4])[0]
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + n]
        assert struct.unpack(">I", data[at + 8 + n:at + 12 + n])[0] == zlib.crc32(kind + body), kind
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + n
    w, h, depth, colour, _c, _f, interlace = ihdr
    assert (depth, colour, interlace) == (8, 6, 0)
    raw = zlib.decompress(idat)
    assert len(raw) == h * (1 + 4 * w)
    rows, filters, above = [], [], bytes(4 * w)
    for y in range(h):
        line = raw[y * (1 + 4 * w):(y + 1) * (1 + 4 * w)]
        filters.append(line[0])
        if line[0] == 0:
            row = bytes(line[1:])
        elif line[0] == 2:
            row = bytes((b + a) & 0xFF for b, a in zip(line[1:], above))
        else:
            raise AssertionError("filter %d" % line[0])
        rows.append(row)
        above = row
    return w, h, rows, filters


class PixelsPng(unittest.TestCase):
    def test_a_generated_image_with_painted_pixels_is_the_png_of_its_pixels(self):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        w, h = 37, 23
        img = bpy.data.images.new("painted", w, h, alpha=True)
        rng = random.Random(3)
        # well inside a rounding step (so float32 and exact arithmetic agree), and out of range
        want = [rng.randrange(256) for _ in range(w * h * 4)]
        values = [(k + rng.uniform(-0.4, 0.4)) / 255 for k in want]
        for i in range(0, len(values), 97):
            values[i], want[i] = rng.choice([(-0.5, 0), (1.7, 255), (0.0, 0), (1.0, 255)])
        img.pixels.foreach_set(values)
        data, info = export.image_file(img)
        self.assertEqual(info, {"format": "png", "width": w, "height": h})
        pw, ph, rows, filters = read_png(data)
        self.assertEqual((pw, ph), (w, h))
        self.assertEqual(set(filters) <= {0, 2}, True)
        # Blender keeps rows bottom-up; a PNG's first row is the top one
        bottom_up = [bytes(want[y * w * 4:(y + 1) * w * 4]) for y in range(h)]
        self.assertEqual(rows, bottom_up[::-1])
        self.assertEqual(export.image_file(img)[0], data)  # same pixels, same bytes, same hash


if __name__ == "__main__":
    unittest.main()
