# Mesh and texture blobs between this Blender and the orchestrator (docs/protocol.md "Blobs"). Out: ask, then
# send: before a snapshot or a batch that names blobs goes out, `blob_query` asks which ones the
# orchestrator lacks, `blob_need` names them, their chunks are sent, and the message waits until each
# is `blob_stored`. In: chunks are reassembled and verified on the session thread (core/session.py);
# whole blobs land in blobs.HELD here, before the resync or tx_begin that needs them is handled.
import time

from ...core import blobs, image


def blob_kind(data):
    """A texture blob is an image file (PNG or JPEG); every other blob this Blender holds is a mesh."""
    return "texture" if image.image_info(data[:65536]) is not None else "mesh"


class Blobs:
    def __init__(self, adapter):
        self.a = adapter
        self.forget()

    def forget(self):
        """A new connection: nothing is known to be stored, nothing is in flight."""
        self.stored = set()
        self.asked = {}       # blob_query id -> hashes asked about
        self.sending = set()  # named in blob_need, not yet blob_stored

    def ready(self, hashes):
        """True once every blob in `hashes` is stored at the orchestrator; else asks about the
        missing ones (once) and returns False: the caller tries again on a later tick."""
        missing = [h for h in hashes if h not in self.stored]
        if not missing:
            return True
        in_flight = self.sending.union(*self.asked.values())
        new = [h for h in missing if h not in in_flight and h in blobs.HELD]
        if new:
            ref = self.a.send("blob_query", {"blobs": [{"hash": h, "kind": blob_kind(blobs.HELD[h]), "size": len(blobs.HELD[h])}
                                                      for h in new]})
            if ref:
                self.asked[ref] = set(new)
        return False

    def on_need(self, msg, body):
        t0 = time.perf_counter()
        asked = self.asked.pop(body["ref"], set())
        need = set(body["need"])
        self.stored |= asked - need
        for h in body["need"]:
            data = blobs.HELD.get(h)
            if data is None:
                continue
            for frame in blobs.chunk_parts(h, data):  # (header, slice): joined only in the frame sent
                if not self.a.session.send_binary(frame):
                    return
            self.sending.add(h)
        self.a.event("blobs_sent", need=len(need), asked=len(asked), ms=round((time.perf_counter() - t0) * 1000, 1))

    def on_stored(self, msg, body):
        self.sending.discard(body["hash"])
        self.stored.add(body["hash"])

    def on_refused(self, body):
        """A blob refused (RESOURCE_LIMIT, HASH_MISMATCH): stop waiting for it, so it is asked about again."""
        for h in list(self.sending):
            if h in body.get("message", ""):
                self.sending.discard(h)

    def received(self, digest, data):
        blobs.received(digest, data)
        self.a.event("blob", hash=digest, size=len(data))


def scene_blobs(objects, materials=()):
    """The blob hashes some wire objects' meshes and some wire materials' textures name."""
    out = {o["mesh"]["geometryHash"] for o in objects if o and o.get("mesh") and o["mesh"].get("blob")}
    return out | {t["hash"] for m in materials if m for t in m["textures"] if t.get("blob")}


def mutation_blobs(muts):
    out = set()
    for m in muts:
        if m["op"] == "create":
            out |= scene_blobs([m["object"]])
        elif m["op"] == "set_props" and m["props"].get("mesh"):
            out |= scene_blobs([{"mesh": m["props"]["mesh"]}])
        elif m["op"] == "upsert_material":
            out |= scene_blobs((), [m["material"]])
    return out
