# Live-lane frames (docs/protocol.md "Live lane"), byte for byte like shared/protocol/live-frame.ts:
# binary frame kind 2, little-endian, no padding: u8 kind, u8 version, u16 flags, u32 frame number,
# u32 record count, then per record u16 id length, the id (ASCII), 10 float64s: position x, y, z,
# rotation x, y, z, w, scale x, y, z. Records carry each object's whole canonical transform. A
# reader refuses anything structurally wrong (LiveError); values are returned as they are (the
# orchestrator checks ranges). Pure standard library.
import struct

KIND = 2
VERSION = 1
CAPABILITY = "live"
HEADER = struct.Struct("<BBHII")
VALUES = struct.Struct("<10d")
ID_LEN = struct.Struct("<H")
MAX_RECORDS = 5000
MAX_FRAME = 0xFFFFFFFF
MAX_ID = 128
ID_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-")
RESERVED = frozenset(("__proto__", "constructor", "prototype"))


class LiveError(ValueError):
    """A frame that is not a well-formed live frame (the orchestrator's SCHEMA_VIOLATION)."""


def _check_id(raw):
    if not 1 <= len(raw) <= MAX_ID:
        raise LiveError("an id of %d characters (1-%d)" % (len(raw), MAX_ID))
    if not ID_CHARS.issuperset(raw):
        raise LiveError("id %r: ids use A-Z a-z 0-9 _ . : - only" % raw)
    oid = raw.decode("ascii")
    if oid in RESERVED:
        raise LiveError("id %r is reserved" % oid)
    return oid


def encode(frame, records):
    """records: [{"id", "position", "rotation", "scale"}] (canonical, whole transforms) -> bytes."""
    if not isinstance(frame, int) or not 0 <= frame <= MAX_FRAME:
        raise LiveError("frame number %r is not a u32" % (frame,))
    if len(records) > MAX_RECORDS:
        raise LiveError("%d records (at most %d)" % (len(records), MAX_RECORDS))
    parts = [HEADER.pack(KIND, VERSION, 0, frame, len(records))]
    for r in records:
        raw = r["id"].encode("ascii", "replace")
        _check_id(raw)
        p, q, s = r["position"], r["rotation"], r["scale"]
        parts.append(ID_LEN.pack(len(raw)))
        parts.append(raw)
        parts.append(VALUES.pack(p[0], p[1], p[2], q[0], q[1], q[2], q[3], s[0], s[1], s[2]))
    return b"".join(parts)


def decode(data):
    """bytes -> (frame number, records); raises LiveError for anything a reader must refuse."""
    data = memoryview(data).cast("B")
    if len(data) < HEADER.size:
        raise LiveError("%d bytes is shorter than the %d-byte header" % (len(data), HEADER.size))
    kind, version, flags, frame, count = HEADER.unpack_from(data, 0)
    if kind != KIND:
        raise LiveError("kind %d is not %d" % (kind, KIND))
    if version != VERSION:
        raise LiveError("version %d (this side speaks %d)" % (version, VERSION))
    if flags:
        raise LiveError("flags must be 0")
    if count > MAX_RECORDS:
        raise LiveError("%d records (at most %d)" % (count, MAX_RECORDS))
    records, seen, at = [], set(), HEADER.size
    for n in range(count):
        if at + 2 > len(data):
            raise LiveError("record %d of %d is cut off at byte %d" % (n, count, at))
        (length,) = ID_LEN.unpack_from(data, at)
        at += 2
        if at + length + VALUES.size > len(data):
            raise LiveError("record %d of %d is cut off at byte %d" % (n, count, at))
        oid = _check_id(bytes(data[at:at + length]))
        if oid in seen:
            raise LiveError("record %d: id %s appears twice in one frame" % (n, oid))
        seen.add(oid)
        v = VALUES.unpack_from(data, at + length)
        records.append({"id": oid, "position": list(v[0:3]), "rotation": list(v[3:7]), "scale": list(v[7:10])})
        at += length + VALUES.size
    if at != len(data):
        raise LiveError("%d bytes after the last of %d records" % (len(data) - at, count))
    return frame, records


def is_live(data):
    """True for a binary frame of the live lane (its first byte is kind 2), whatever else it holds."""
    return len(data) > 0 and data[0] == KIND
