# Whole scenes between this Blender and the orchestrator. Out: the snapshot, sent on welcome and on
# snapshot_request, but only once no transaction is open (an open one is sandbox state the
# orchestrator has not accepted and may be about to roll back). In: resync (Brain > Limb) makes this
# scene equal to the orchestrator's, which is then what it knows of this scene.
import time

from ...core import canonical
from ..resync import resync
from ..stream import Streamer
from .blobs import scene_blobs


class Snapshots:
    def __init__(self, adapter):
        self.a = adapter
        self.due = None  # a requested snapshot waiting for open transactions to close

    def forget(self):
        self.due = None

    def send(self, reason):
        a = self.a
        t0 = time.perf_counter()
        cur = a.current()
        scene = {"objects": [cur["objects"][k] for k in sorted(cur["objects"])],
                 "materials": [cur["materials"][k] for k in sorted(cur["materials"])]}
        if not a.blobs.ready(scene_blobs(scene["objects"], scene["materials"])):
            self.due = reason  # sent on a later tick, once the orchestrator holds every mesh and texture blob
            return None
        digest = canonical.scene_hash(scene)
        mid = a.send("snapshot", {"reason": reason, "scene": scene, "hash": digest})
        if mid:
            a.stream.set_known(cur, a.scene())
            a.stream.forget_changes()  # the snapshot covers every change noted so far
            # not counted as unacknowledged: the protocol never acks a snapshot (an adopted one shows
            # as the targets' resync, a refused one as an error naming it)
        a.event("snapshot", reason=reason, hash=digest, objects=len(scene["objects"]),
                ms=round((time.perf_counter() - t0) * 1000, 1))
        return digest

    def flush(self):
        # an open transaction is sandbox state the orchestrator has not accepted (it may be about to
        # roll it back): a snapshot exported now would hand it uncommitted values as this scene
        if self.due is not None and not self.a.transactions.open:
            reason, self.due = self.due, None
            self.send(reason)

    def on_request(self, msg, body):
        self.due = "requested"
        if self.a.transactions.open:
            self.a.event("snapshot_deferred", open=sorted(self.a.transactions.open))
        self.flush()

    def on_resync(self, msg, body):
        a = self.a
        a.drop_open_work()
        if self.due == "initial":
            # the resync answers the initial snapshot that still waits for its blobs: sent after it, that
            # snapshot would carry edits made since, and the orchestrator does not compare a crossed one
            self.due = None
        resync(a.scene(), body["scene"])
        a.stream = Streamer()
        cur = a.current()
        # the orchestrator's scene is now what it knows of us; anything Blender could not hold
        # exactly (a name over 63 bytes, a taken name) shows up as an ordinary change next tick
        a.stream.known = {"objects": {o["id"]: o for o in body["scene"]["objects"]},
                          "materials": {m["id"]: m for m in body["scene"]["materials"]}}
        a.stream.changes.full = True
        scene = {"objects": list(cur["objects"].values()), "materials": list(cur["materials"].values())}
        digest = canonical.scene_hash(scene)
        a.event("resynced", hash=digest, expected=body["hash"], equal=digest == body["hash"])
        if digest != body["hash"]:
            # what this Blender holds is not the scene it was sent: say so, typed (docs/protocol.md)
            a.error("TARGET_FAILED", "resync: " + not_held(scene, body["scene"]), ref=msg["id"])


def not_held(held, sent):
    """Names the objects and materials whose canonical form here differs from the one sent."""
    parts = []
    for kind, key, hash_of in (("object", "objects", canonical.object_hash), ("material", "materials", canonical.material_hash)):
        mine = {x["id"]: hash_of(x) for x in held[key]}
        theirs = {x["id"]: hash_of(x) for x in sent[key]}
        names = {x["id"]: x["name"] for x in held[key] + sent[key]}
        differ = sorted(names[i] for i in set(mine) | set(theirs) if mine.get(i) != theirs.get(i))
        if differ:
            parts.append("%d %s(s) held differently than sent: %s%s" % (len(differ), kind, ", ".join(differ[:10]),
                                                                         " …" if len(differ) > 10 else ""))
    return "; ".join(parts) or "the scene hash differs"

