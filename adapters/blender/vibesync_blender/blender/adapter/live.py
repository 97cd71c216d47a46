# The live lane (docs/protocol.md "Live lane"), granted in welcome when the handshake declared "live".
# Source: the transforms a frame change (playback, scrubbing) moved go out as binary kind-2 frames,
# numbered from 1 per connection, instead of a batch; nothing acknowledges them: live_settled says up
# to which frame they are durable, and an error whose ref is "live:<n>" says frame n was dropped whole,
# so what the stream believes the orchestrator holds of its objects goes back to before it.
# Target: a received frame is a preview applied at once (an id this Blender does not hold is
# skipped), and becomes what the orchestrator knows of those objects, so it is never streamed back;
# a settle's tx_begin whose liveFrame is older than a frame applied since keeps that newer frame.
import time

from ...core import live
from ..apply import write_transform
from ..export import ID_PROP, unit_scale

HISTORY = 256  # sent frames remembered for an error naming one (errors come back within a few frames)


class Live:
    def __init__(self, adapter):
        self.a = adapter
        self.forget()

    def forget(self):
        """A new connection: nothing granted yet, numbering starts again."""
        self.granted = False
        self.next_frame = 1
        self.settled = None       # the latest frame live_settled made durable
        self.sent = {}            # frame number -> {object id: its transform the stream knew before}
        self.last_sent = {}       # object id -> the last frame number that carried it
        self.applied = {}         # target: object id -> (frame number, transform) of the last frame applied
        self.received = 0

    def on_welcome(self, granted):
        self.granted = live.CAPABILITY in granted

    # ---- source ----
    def split(self, muts, how):
        """(mutations that go as a live frame, the rest): the frame's moves, when the lane is granted."""
        moved = how.get("animated") or ()
        if not self.granted or how.get("frame") is None or not moved:
            return [], muts
        out, rest = [], []
        for m in muts:
            (out if m["op"] == "set_transform" and m["objectId"] in moved else rest).append(m)
        return out, rest

    def send(self, muts, cur):
        """Sends the whole transforms of these set_transforms as live frames; the last frame number, or
        None when not connected (the caller keeps its changes)."""
        known = self.a.stream.known["objects"]
        number = None
        for i in range(0, len(muts), live.MAX_RECORDS):
            part = muts[i:i + live.MAX_RECORDS]
            records = [dict(cur["objects"][m["objectId"]]["transform"], id=m["objectId"]) for m in part]
            number = self.next_frame
            if not self.a.session.send_binary(live.encode(number, records)):
                return None
            self.next_frame += 1
            self.sent[number] = {r["id"]: known[r["id"]]["transform"] for r in records if r["id"] in known}
            for r in records:
                self.last_sent[r["id"]] = number
        while len(self.sent) > HISTORY:
            self.sent.pop(next(iter(self.sent)))
        return number

    def on_settled(self, msg, body):
        self.settled = body["frame"] if self.settled is None else max(self.settled, body["frame"])
        self.a.last_sync = time.time()
        self.a.event("live_settled", frame=body["frame"], seq=body["seq"], count=body["count"])

    def on_refused(self, number, body):
        """Frame `number` changed nothing at the orchestrator: its objects are known as they were before
        it, unless a later frame carried them again. The next change of them is compared with that (a
        NON_FINITE or a DIRTY branch also brings a snapshot_request)."""
        known = self.a.stream.known["objects"]
        before = self.sent.pop(number, {})
        for oid, t in before.items():
            if self.last_sent.get(oid) == number and oid in known:
                known[oid] = dict(known[oid], transform=t)
        self.a.event("live_refused", frame=number, code=body.get("code"), objects=len(before))

    # ---- target ----
    def apply(self, number, records):
        """A frame from the orchestrator: each object's whole transform, set at once (latest wins)."""
        scene = self.a.scene()
        unit = unit_scale(scene)
        index = {o.get(ID_PROP): o for o in scene.objects}
        known = self.a.stream.known["objects"]
        moved = 0
        for r in records:
            obj = index.get(r["id"])
            if obj is None:
                continue
            t = {"position": r["position"], "rotation": r["rotation"], "scale": r["scale"]}
            write_transform(obj, t, unit)
            self.applied[r["id"]] = (number, t)
            if r["id"] in known:  # the orchestrator holds it (its overlay): not a change of this Blender
                known[r["id"]] = dict(known[r["id"]], transform=t)
            moved += 1
        self.received += 1
        self.a.event("live_applied", frame=number, count=len(records), moved=moved)

    def keep_newer(self, sandbox, live_frame):
        """After a settle's tx_begin: objects a frame later than `live_frame` moved keep that frame."""
        if live_frame is None:
            return
        for oid in sandbox.touched["object"]:
            got = self.applied.get(oid)
            obj = sandbox.index.get(oid)
            if got is not None and got[0] > live_frame and obj is not None:
                write_transform(obj, got[1], sandbox.unit)
