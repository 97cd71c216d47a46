# Blob chunk frames (docs/protocol.md "Blobs"), byte for byte like shared/protocol/binary-frame.ts:
# a 48-byte header (kind 1, version 1, flags 0, chunk index, chunk count, payload length, the blob's
# raw SHA-256) and at most 1 MiB of payload. HELD is every blob this Blender holds, by hash: the
# latest export of each of its meshes and textures, and every blob the orchestrator sent it. A mesh
# or image edited again and again does not pile up old blobs: made() drops its previous export once
# no other owner's latest export is that blob and the orchestrator never sent it. Pure standard library.
import hashlib
import struct

HEADER = struct.Struct("<BBHIII32s")
CHUNK = 1024 * 1024
KIND_BLOB = 1
HELD = {}
RECEIVED = set()  # sent by the orchestrator: a transaction or resync may name them again
_latest = {}      # owner ("mesh" or "image", its name) -> the hash of its latest export
_owners = {}      # hash -> the owners whose latest export it is


def made(digest, data, owner):
    """Holds `data`, the latest export of `owner`, and drops the owner's previous blob when nothing
    else holds on to it."""
    HELD[digest] = data
    old = _latest.get(owner)
    if old == digest:
        return
    _latest[owner] = digest
    _owners.setdefault(digest, set()).add(owner)
    if old is None:
        return
    left = _owners.get(old, set())
    left.discard(owner)
    if not left:
        _owners.pop(old, None)
        if old not in RECEIVED:
            HELD.pop(old, None)


def received(digest, data):
    HELD[digest] = data
    RECEIVED.add(digest)


class BlobError(ValueError):
    pass


def chunk_count(size):
    return max(1, -(-size // CHUNK))


def chunk_parts(digest, data):
    """The binary frames of one blob, in order, each as (its header, its slice of the blob)."""
    raw = bytes.fromhex(digest)
    count = chunk_count(len(data))
    view = memoryview(data).cast("B")
    for i in range(count):
        part = view[i * CHUNK:(i + 1) * CHUNK]
        yield HEADER.pack(KIND_BLOB, 1, 0, i, count, len(part), raw), part

class Assembler:
    """Reassembles the blobs one connection receives; add() returns (hash, bytes) when one is whole and verified."""

    def __init__(self):
        self.cur = None

    def add(self, frame):
        if len(frame) < HEADER.size:
            raise BlobError("binary frame shorter than its header")
        kind, version, flags, index, count, length, raw = HEADER.unpack_from(frame, 0)
        if kind != KIND_BLOB or version != 1 or flags or length != len(frame) - HEADER.size or index >= count:
            raise BlobError("not a blob chunk frame")
        digest = raw.hex()
        if index == 0:
            self.cur = {"hash": digest, "next": 0, "count": count, "parts": [], "sha": hashlib.sha256()}
        cur = self.cur
        if cur is None or cur["hash"] != digest or cur["next"] != index:
            self.cur = None
            raise BlobError("blob %s: chunk %d out of order" % (digest, index))
        payload = bytes(frame[HEADER.size:])
        cur["parts"].append(payload)
        cur["sha"].update(payload)
        cur["next"] += 1
        if cur["next"] < cur["count"]:
            return None
        self.cur = None
        if cur["sha"].hexdigest() != digest:
            raise BlobError("blob %s: its bytes hash to %s; dropped" % (digest, cur["sha"].hexdigest()))
        return digest, b"".join(cur["parts"])
