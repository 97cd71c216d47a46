# The canonical mesh blob (core/mesh.py, "VSM1") encoded from numpy arrays: the same bytes as
# mesh.encode, value for value (float32 rounding, then floor(x / step + 0.5) in float64, the same
# refusals), without a Python loop over vertices. An optional Sections cache keeps the encoded
# faces, slots, corners and UVs of a mesh's last blob with what they were encoded from: when only
# positions changed (a vertex moved), those sections are compared, not validated or quantised again.
# The SHA-256 is always taken over the whole blob: the canonical form is what it was.
# numpy is optional: AVAILABLE is False without it (Blender builds without numpy, a bare python3),
# and callers use mesh.encode instead.
import hashlib
import math

from .mesh import FLAG_UV, HEADER, INT32_MAX, MAGIC, POSITION_STEP, UV_STEP, MeshError

try:
    import numpy as np
except ImportError:  # pragma: no cover - depends on the Python running the add-on
    np = None

AVAILABLE = np is not None


def quantised(values, step, what):
    """floor(float32(x) / step + 0.5) as little-endian int32, refused like mesh._quantised."""
    with np.errstate(all="ignore"):
        f32 = np.asarray(values)
        f32 = f32 if f32.dtype == np.float32 else f32.astype(np.float32)
        q = f32.astype(np.float64)
        q /= step
        q += 0.5
        np.floor(q, out=q)
    bad = ~(np.abs(q) <= INT32_MAX)  # NaN and infinities included
    if bad.any():
        i = int(np.argmax(bad))  # the first bad value, as the loop in mesh.py meets it
        x = float(f32[i])
        if math.isfinite(x):
            raise MeshError("NON_FINITE", "%s %r is outside what a mesh blob holds" % (what, x))
        raise MeshError("NON_FINITE", "%s is not finite" % what)
    return q.astype("<i4")


class Sections:
    """One mesh's last topology and UVs as they were read, and its encoded UVs: the memory of a
    second copy of them. Reused only when the new input is equal, value for value."""

    def __init__(self):
        self.topology = None  # (vertex count, face sizes, slots, corners): validated last time
        self.uvs = None       # (uvs as read, their quantised int32)
        self.hits = 0         # sections taken from here rather than checked or encoded again


def _same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def _validate_topology(nv, face_sizes, corners, slots):
    nf, nc = len(face_sizes), len(corners)
    if nf and int(face_sizes.min()) < 3:
        raise MeshError("SCHEMA_VIOLATION", "a face has fewer than 3 corners")
    total = int(face_sizes.sum(dtype=np.int64))
    if total != nc:
        raise MeshError("SCHEMA_VIOLATION", "faces have %d corners in all but %d corner indices were given" % (total, nc))
    if len(slots) != nf or (nf and (int(slots.min()) < 0 or int(slots.max()) > 0xFFFF)):
        raise MeshError("SCHEMA_VIOLATION", "material slots must be one per face, 0-65535")
    if nc and (int(corners.min()) < 0 or int(corners.max()) >= nv):
        raise MeshError("SCHEMA_VIOLATION", "a corner names a vertex outside 0..%d" % (nv - 1))


def _topology(nv, face_sizes, corners, slots, sections):
    known = sections.topology if sections is not None else None
    if (known is not None and known[0] == nv
            and all(_same(a, b) for a, b in zip(known[1:], (face_sizes, slots, corners)))):
        sections.hits += 1
        return
    _validate_topology(nv, face_sizes, corners, slots)
    if sections is not None:
        sections.topology = (nv, face_sizes, slots, corners)


def _uvs(uvs, sections):
    known = sections.uvs if sections is not None else None
    if known is not None and _same(known[0], uvs):
        sections.hits += 1
        return known[1]
    q = quantised(uvs, UV_STEP, "UV")
    if sections is not None:
        sections.uvs = (uvs, q)
    return q


def encode(positions, face_sizes, corners, slots=None, uvs=None, sections=None):
    """Like mesh.encode, from array-likes. Returns (blob, wire MeshSummary): the blob is a
    read-only memoryview of a numpy array written in place (under Blender's allocator a fresh
    15 MB bytes object costs ~50 ms of page faults, a numpy array ~10), the summary's bounds come
    from the quantised positions and its geometryHash is the blob's SHA-256. With `sections`, the arrays given are kept there as they
    are: the caller hands over arrays it does not change afterwards."""
    positions = np.asarray(positions).reshape(-1)
    if len(positions) % 3:
        raise MeshError("SCHEMA_VIOLATION", "%d position values are not whole triples" % len(positions))
    face_sizes, corners = np.asarray(face_sizes).reshape(-1), np.asarray(corners).reshape(-1)
    nv, nf, nc = len(positions) // 3, len(face_sizes), len(corners)
    slots = np.zeros(nf, dtype=np.int32) if slots is None else np.asarray(slots).reshape(-1)
    uvs = np.asarray(uvs).reshape(-1) if uvs is not None and len(uvs) else None
    _topology(nv, face_sizes, corners, slots, sections)
    if uvs is not None and len(uvs) != 2 * nc:
        raise MeshError("SCHEMA_VIOLATION", "%d UV values for %d corners" % (len(uvs), nc))
    q = quantised(positions, POSITION_STEP, "position")
    uq = _uvs(uvs, sections) if uvs is not None else None
    if uvs is None and sections is not None:
        sections.uvs = None
    out = np.empty(HEADER.size + 4 * (3 * nv + 2 * nf + nc + (2 * nc if uq is not None else 0)), dtype=np.uint8)
    out[:HEADER.size] = np.frombuffer(HEADER.pack(MAGIC, nv, nf, nc, FLAG_UV if uq is not None else 0), dtype=np.uint8)
    at = HEADER.size
    for section, dtype in ((q, "<i4"), (face_sizes, "<u4"), (slots, "<u4"), (corners, "<u4"), (uq, "<i4")):
        if section is not None:
            out[at:at + 4 * len(section)].view(dtype)[:] = section
            at += 4 * len(section)
    if nv:
        grid = q.reshape(-1, 3)
        lo = [int(v) / 1e4 + 0.0 for v in grid.min(axis=0)]
        hi = [int(v) / 1e4 + 0.0 for v in grid.max(axis=0)]
    else:
        lo, hi = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    out.flags.writeable = False
    blob = memoryview(out)
    summary = {"vertexCount": nv, "faceCount": nf, "geometryHash": hashlib.sha256(blob).hexdigest(),
               "bounds": {"min": lo, "max": hi}, "blob": True}
    return blob, summary
