# Texture blobs (docs/protocol.md "Texture blobs"): a texture travels as its encoded image file,
# hashed as is. image_info reads what a PNG or JPEG header says (like shared/canonical/image.ts,
# golden vectors in data/golden/texture-vectors.json); encode_png writes pixels this Blender holds
# only in memory (a generated or painted image) as a PNG. Pure standard library.
import hashlib
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers: baseline, progressive, lossless, arithmetic
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def blob_hash(data):
    return hashlib.sha256(data).hexdigest()


def image_info(data):
    """{"format", "width", "height"} as the file's header declares them, or None (not a PNG or
    JPEG, or a header cut off before its size)."""
    data = bytes(data[:65536]) if len(data) > 65536 else bytes(data)
    if len(data) >= 24 and data.startswith(PNG_SIGNATURE):
        if data[12:16] != b"IHDR":
            return None
        w, h = struct.unpack(">II", data[16:24])
        return {"format": "png", "width": w, "height": h}
    if len(data) < 4 or data[0] != 0xFF or data[1] != 0xD8:
        return None
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if marker in (0xD9, 0xDA):
            return None
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in _SOF:
            if i + 9 > len(data):
                return None
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return {"format": "jpeg", "width": w, "height": h}
        i += 2 + length
    return None


def _chunk(kind, body):
    crc = zlib.crc32(body, zlib.crc32(kind)) & 0xFFFFFFFF
    return b"".join((struct.pack(">I", len(body)), kind, body, struct.pack(">I", crc)))


# zlib level 1: a 4096² RGBA image compresses in about 0.2 s (level 6 takes twice that and more for
# a few percent); the Up filter the bulk path writes gives the size back on painted images
PNG_LEVEL = 1
FILTER_NONE, FILTER_UP = 0, 2


def png_from_scanlines(width, height, scanlines):
    """An 8-bit RGBA PNG of already filtered scanlines: height rows of a filter type byte then
    width * 4 bytes (any bytes-like object; written as one IDAT chunk)."""
    size = memoryview(scanlines).nbytes
    if size != height * (1 + 4 * width):
        raise ValueError("%dx%d RGBA scanlines are %d bytes, got %d" % (width, height, height * (1 + 4 * width), size))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"".join((PNG_SIGNATURE, _chunk(b"IHDR", ihdr), _chunk(b"IDAT", zlib.compress(scanlines, PNG_LEVEL)),
                     _chunk(b"IEND", b"")))


def encode_png(width, height, rows):
    """An 8-bit RGBA PNG. `rows`: height rows of width * 4 bytes each, top row first (unfiltered)."""
    for row in rows:
        if len(row) != width * 4:
            raise ValueError("a %dx%d RGBA row is %d bytes, got %d" % (width, height, width * 4, len(row)))
    none = bytes([FILTER_NONE])
    return png_from_scanlines(width, height, b"".join(b for row in rows for b in (none, row)))
