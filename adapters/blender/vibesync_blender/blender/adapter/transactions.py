# Transactions this Blender applies as a target: tx_begin applies the mutations in a sandbox
# (blender/apply.py) and answers the hash of the touched state; tx_commit keeps them and makes them
# what the orchestrator knows of this scene (so they are never streamed back); tx_rollback, tx_purge
# and rollback_broadcast restore exactly. Every one ends with tx_done. A mutation that cannot apply
# undoes the whole transaction: the hash of the untouched state makes the orchestrator roll back.
import time

from ...core import canonical
from ...core.mutation import subject
from ..apply import ApplyError, Sandbox, apply_mutations
from .log import log


class Transactions:
    def __init__(self, adapter):
        self.a = adapter
        self.open = {}  # txId -> Sandbox, from tx_begin (or an approved script's result) to tx_done

    def forget(self):
        """A new connection starts with none (after a file load the sandboxes' objects are gone)."""
        self.open = {}

    def held_back(self):
        """Ids of the objects and materials open transactions touch: the source stream waits for them."""
        ids = set()
        for sb in self.open.values():
            ids.update(sb.touched["object"])
            ids.update(sb.touched["material"])
        return ids

    def roll_back_all(self, why):
        for tx_id, sb in list(self.open.items()):
            sb.rollback()
            self.a.event("tx_done", txId=tx_id, outcome="rolled_back", why=why)
        self.open.clear()

    def begin(self, tx_id, mutations):
        try:
            sb = apply_mutations(self.a.scene(), mutations)
        except ApplyError as e:
            # nothing stays applied; the hash of the untouched state makes the orchestrator roll back
            log("tx", tx_id, "could not apply:", e)
            sb = Sandbox(self.a.scene())
            for m in mutations:
                kind, sid = subject(m)
                sb.touch(kind, sid)
        self.open[tx_id] = sb
        return sb

    def on_begin(self, msg, body):
        tx_id = body["txId"]
        if self.a.busy:
            return self.a.error("ENGINE_BUSY", "Blender is busy (loading or undo); retry", msg["id"], tx_id)
        if tx_id in self.open:
            return self.a.error("SCHEMA_VIOLATION", "transaction already open", msg["id"], tx_id)
        sb = self.begin(tx_id, body["mutations"])
        digest = canonical.tx_hash(sb.state())
        self.a.live.keep_newer(sb, body.get("liveFrame"))  # after the hash: the settle's values are what it covers
        self.a.send("tx_hash", {"txId": tx_id, "hash": digest})
        self.a.event("tx_hash", txId=tx_id, hash=digest, source=body.get("source"))

    def finish(self, tx_id, outcome):
        sb = self.open.pop(tx_id, None)
        if sb is not None:
            if outcome == "committed":
                sb.commit()
                self.a.stream.learn(sb.state())
                self.a.last_sync = time.time()
            else:
                sb.rollback()
        self.a.send("tx_done", {"txId": tx_id, "outcome": outcome})
        self.a.event("tx_done", txId=tx_id, outcome=outcome, known=sb is not None)

    def on_commit(self, msg, body):
        self.finish(body["txId"], "committed")

    def on_rollback(self, msg, body):
        self.finish(body["txId"], "rolled_back")

    def on_purge(self, msg, body):
        self.finish(body["txId"], "purged")

    def on_rollback_broadcast(self, msg, body):
        if body["txId"] in self.open:
            self.finish(body["txId"], "rolled_back")
        else:
            self.a.event("rollback_broadcast", txId=body["txId"], reason=body.get("reason"))
