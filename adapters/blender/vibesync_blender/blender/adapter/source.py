# The source side: this Blender's own edits, as the stream found them (blender/stream.py), sent to
# the configured targets as one batch (or one mutation) per tick, MAX_BATCH mutations a frame. The
# subjects of open transactions are held back; with no targets nothing is streamed. A send that fails
# loses nothing: the next pass compares everything again.
import time

from .blobs import mutation_blobs

MAX_BATCH = 5000


class Source:
    def __init__(self, adapter):
        self.a = adapter

    def stream_changes(self):
        a = self.a
        if not a.targets:
            a.stream.forget_changes()
            return
        muts, cur, how = a.stream.take(a.scene(), a.targets, a.transactions.held_back())
        a.non_finite = None
        if not muts:
            return
        if not a.blobs.ready(mutation_blobs(muts)):
            a.stream.changes.full = True  # nothing is lost: sent once the orchestrator holds the mesh blobs
            return
        for i in range(0, len(muts), MAX_BATCH):
            chunk = muts[i:i + MAX_BATCH]
            mid = a.send("batch", {"mutations": chunk}) if len(chunk) > 1 else a.send("mutation", {"mutation": chunk[0]})
            if mid is None:
                a.stream.changes.full = True  # nothing is lost: the next pass compares everything again
                return
            a.unacked[mid] = time.time()
        a.stream.accept(muts, cur)
        a.event("streamed", count=len(muts), ops=[m["op"] for m in muts], mids=[m["mid"] for m in muts],
                full=how["full"], ms=how["ms"])
