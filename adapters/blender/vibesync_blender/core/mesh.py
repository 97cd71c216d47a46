# The canonical mesh blob ("VSM1"), byte for byte the same as shared/canonical/mesh.ts (golden
# vectors in data/golden/mesh-vectors.json). Each value is rounded to float32 (what Blender stores)
# and then quantised on the scene's grid, so the blob a target rebuilds from its own mesh is the blob
# it was sent: the hash proves what it holds. Pure standard library: plain python3 and Blender.
import hashlib
import math
import struct
import sys
from array import array

MAGIC = b"VSM1"
HEADER = struct.Struct("<4sIIII")
FLAG_UV = 1
POSITION_STEP = 1e-4
UV_STEP = 1e-5
INT32_MAX = 2**31 - 1


class MeshError(ValueError):
    """A mesh the canonical blob cannot describe; `code` is the protocol error code."""

    def __init__(self, code, message):
        super().__init__("%s: mesh: %s" % (code, message))
        self.code = code


def _le(arr):
    if sys.byteorder != "little":
        arr.byteswap()
    return arr.tobytes()


def _quantised(values, step, what):
    # array("f") rounds each double to the nearest float32, as Math.fround does
    try:
        f32 = array("f", values)
    except OverflowError:
        raise MeshError("NON_FINITE", "%s outside float32" % what) from None
    out = array("i", [0]) * len(f32)
    floor = math.floor
    try:
        for i, x in enumerate(f32):
            v = floor(x / step + 0.5)
            if v > INT32_MAX or v < -INT32_MAX:
                raise MeshError("NON_FINITE", "%s %r is outside what a mesh blob holds" % (what, x))
            out[i] = v
    except (ValueError, OverflowError) as e:
        if isinstance(e, MeshError):
            raise
        raise MeshError("NON_FINITE", "%s is not finite" % what) from None
    return out


def encode(positions, face_sizes, corners, slots=None, uvs=None):
    """positions: flat canonical-space xyz (metres); face_sizes: corners per face; corners: vertex
    index per corner; slots: material slot per face; uvs: flat uv per corner, or None."""
    if len(positions) % 3:
        raise MeshError("SCHEMA_VIOLATION", "%d position values are not whole triples" % len(positions))
    nv, nf, nc = len(positions) // 3, len(face_sizes), len(corners)
    if any(n < 3 for n in face_sizes):
        raise MeshError("SCHEMA_VIOLATION", "a face has fewer than 3 corners")
    if sum(face_sizes) != nc:
        raise MeshError("SCHEMA_VIOLATION", "faces have %d corners in all but %d corner indices were given"
                        % (sum(face_sizes), nc))
    slots = [0] * nf if slots is None else slots
    if len(slots) != nf or any(s < 0 or s > 0xFFFF for s in slots):
        raise MeshError("SCHEMA_VIOLATION", "material slots must be one per face, 0-65535")
    if nc and (min(corners) < 0 or max(corners) >= nv):
        raise MeshError("SCHEMA_VIOLATION", "a corner names a vertex outside 0..%d" % (nv - 1))
    uvs = uvs if uvs is not None and len(uvs) else None
    if uvs is not None and len(uvs) != 2 * nc:
        raise MeshError("SCHEMA_VIOLATION", "%d UV values for %d corners" % (len(uvs), nc))
    parts = [HEADER.pack(MAGIC, nv, nf, nc, FLAG_UV if uvs is not None else 0),
             _le(_quantised(positions, POSITION_STEP, "position")),
             _le(array("I", face_sizes)), _le(array("I", slots)), _le(array("I", corners))]
    if uvs is not None:
        parts.append(_le(_quantised(uvs, UV_STEP, "UV")))
    return b"".join(parts)


def _ints(data, off, n, code):
    a = array(code)
    a.frombytes(data[off:off + 4 * n])
    if sys.byteorder != "little":
        a.byteswap()
    return a, off + 4 * n


def decode(data):
    """A blob's integers: {"positions", "face_sizes", "slots", "corners", "uvs"} (uvs None without)."""
    if len(data) < HEADER.size:
        raise MeshError("SCHEMA_VIOLATION", "blob shorter than its header")
    magic, nv, nf, nc, flags = HEADER.unpack_from(data, 0)
    if magic != MAGIC:
        raise MeshError("SCHEMA_VIOLATION", 'blob does not start with "VSM1"')
    if flags & ~FLAG_UV:
        raise MeshError("SCHEMA_VIOLATION", "unknown flags %d" % flags)
    has_uv = bool(flags & FLAG_UV)
    want = HEADER.size + 4 * (3 * nv + 2 * nf + nc + (2 * nc if has_uv else 0))
    if len(data) != want:
        raise MeshError("SCHEMA_VIOLATION", "blob is %d bytes; its header says %d" % (len(data), want))
    off = HEADER.size
    positions, off = _ints(data, off, 3 * nv, "i")
    face_sizes, off = _ints(data, off, nf, "I")
    slots, off = _ints(data, off, nf, "I")
    corners, off = _ints(data, off, nc, "I")
    uvs = _ints(data, off, 2 * nc, "i")[0] if has_uv else None
    if sum(face_sizes) != nc or any(n < 3 for n in face_sizes) or (nc and max(corners) >= nv):
        raise MeshError("SCHEMA_VIOLATION", "faces and corners disagree with the header")
    return {"positions": positions, "face_sizes": face_sizes, "slots": slots, "corners": corners, "uvs": uvs}


def positions_metres(d):
    """q / 10000, a division: the nearest double to the grid point (what the target stores as float32)."""
    return [v / 1e4 for v in d["positions"]]


def uvs_from_blob(d):
    return None if d["uvs"] is None else [v / 1e5 for v in d["uvs"]]


def blob_hash(data):
    return hashlib.sha256(data).hexdigest()


def summary(data):
    """The wire MeshSummary of a blob: geometryHash is the blob's SHA-256, bounds from its grid."""
    d = decode(data)
    p = d["positions"]
    if len(p):
        lo = [min(p[i::3]) / 1e4 for i in range(3)]
        hi = [max(p[i::3]) / 1e4 for i in range(3)]
    else:
        lo, hi = [0, 0, 0], [0, 0, 0]
    return {"vertexCount": len(p) // 3, "faceCount": len(d["face_sizes"]), "geometryHash": blob_hash(data),
            "bounds": {"min": [v + 0.0 for v in lo], "max": [v + 0.0 for v in hi]}, "blob": True}
