# The source side: this Blender's own edits, as the stream found them (blender/stream.py), sent to
# the configured targets as one batch (or one mutation) per tick, MAX_BATCH mutations a frame. The
# subjects of open transactions are held back; with no targets nothing is streamed. A send that fails
# loses nothing: the next pass compares everything again.
# Frame changes (playback) are paced by the orchestrator: one message carrying a frame is in flight at a
# time. Until it is acknowledged (or refused, or the connection drops) later frames only leave the
# frame flag set, so the next pass sends the transforms of the latest frame and the frames between are
# skipped: a slow link costs frame rate, never a queue. Edits are never held back behind a frame. A frame
# unanswered for FRAME_WAIT_S (a frame dropped by the rate limit is never answered) stops holding the
# next one back. When welcome grants the live lane, a frame's moves go as one live frame instead
# (adapter/live.py): never acknowledged, so never in flight; only what else the frame changed (an
# animated light or camera) still travels as JSON and is paced as above. Edits always go as JSON.
import time

import bpy

from ...core import blobs
from .blobs import mutation_blobs

MAX_BATCH = 5000
FRAME_WAIT_S = 2.0
# image.pixels edits raise no depsgraph update: edited (dirty) images up to this many pixels are
# encoded and compared again this often; larger ones when they become dirty or with a material edit
PIXEL_POLL_S = 2.0
PIXEL_POLL_MAX = 2048 * 2048


class Source:
    def __init__(self, adapter):
        self.a = adapter
        self.frame_mid = None  # the message carrying the last frame sent, until it is settled
        self.dirty_images = set()
        self.polled = 0.0
        self.waiting = None  # the blobs the last pass waited for

    def frame_in_flight(self):
        sent = self.a.unacked.get(self.frame_mid) if self.frame_mid is not None else None
        return sent is not None and time.time() - sent < FRAME_WAIT_S

    def note_image_edits(self):
        """An image whose pixels were edited since it was loaded (is_dirty) has another texture blob:
        every material is looked at again when that set changes, and every PIXEL_POLL_S while small
        edited images stay dirty (export.image_texture never takes a dirty image from a cache)."""
        dirty = {img.name: img.size[0] * img.size[1] for img in bpy.data.images if img.is_dirty}
        now = time.monotonic()
        poll = any(n <= PIXEL_POLL_MAX for n in dirty.values()) and now - self.polled >= PIXEL_POLL_S
        if set(dirty) != self.dirty_images or poll:
            self.dirty_images, self.polled = set(dirty), now
            self.a.stream.changes.images = True

    def stream_changes(self):
        a = self.a
        if not a.targets:
            a.stream.forget_changes()
            return
        self.note_image_edits()
        frames = not self.frame_in_flight()
        if not frames and not a.stream.changes.edits():
            return  # only a newer frame: it waits for the one in flight, and replaces the frames between
        muts, cur, how = a.stream.take(a.scene(), a.targets, a.transactions.held_back(), frames=frames)
        a.non_finite = None
        if not muts:
            return
        needed = mutation_blobs(muts)
        if not a.blobs.ready(needed):
            a.stream.changes.full = True  # nothing is lost: sent once the orchestrator holds the mesh blobs
            if any(h not in blobs.HELD and h not in a.blobs.stored for h in needed):
                # a cached summary whose blob was replaced meanwhile (blobs.made): export afresh
                a.stream.mesh_cache.clear()
                a.stream.image_cache.clear()
            if needed != self.waiting:  # traced once per set of blobs, not on every tick it waits
                self.waiting = needed
                a.event("waiting_for_blobs", count=len(muts), blobs=len(needed), full=how["full"], ms=how["ms"])
            return
        self.waiting = None
        moves, rest = a.live.split(muts, how)
        for i in range(0, len(rest), MAX_BATCH):
            chunk = rest[i:i + MAX_BATCH]
            mid = a.send("batch", {"mutations": chunk}) if len(chunk) > 1 else a.send("mutation", {"mutation": chunk[0]})
            if mid is None:
                a.stream.changes.full = True  # nothing is lost: the next pass compares everything again
                return
            a.unacked[mid] = time.time()
            if how["frame"] is not None:
                self.frame_mid = mid
        a.stream.accept(rest, cur)
        number = a.live.send(moves, cur) if moves else None
        if moves and number is None:
            a.stream.changes.full = True  # not connected: the next pass compares everything again
            return
        a.stream.accept(moves, cur)
        a.event("streamed", count=len(muts), ops=[m["op"] for m in muts], mids=[m["mid"] for m in muts],
                full=how["full"], ms=how["ms"], frame=how["frame"], live=number,
                msg=self.frame_mid if how["frame"] is not None and rest else None)
