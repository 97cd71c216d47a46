# The add-on's main-thread controller: drains the session's queue from a bpy timer, answers the
# orchestrator (snapshot, tx_begin/commit/rollback/purge, script_run, resync), streams local edits
# as coalesced batches, and re-handshakes with a new generation after a file reload.
import time
import traceback

import bpy

from . import canonical, guard, ids, isolate
from .apply import ApplyError, Sandbox, apply_mutations, resync, subject
from .script import ScriptError, ScriptJob
from .session import Session
from .stream import Streamer

TICK_S = 0.02
MAX_BATCH = 5000


def _log(*args):
    print("[vibesync]", *args, flush=True)


class Adapter:
    def __init__(self, url, token, name, targets, generation=None, trace=None):
        self.url, self.token, self.name = url, token, name
        self.targets = [t for t in targets if t and t != name]
        self.generation = int(time.time()) if generation is None else generation
        self.trace = trace  # optional callable(event: dict), used by headless runs and tests
        self.session = None
        self.stream = Streamer()  # what the orchestrator knows of this scene, and what changed since
        self.txs = {}
        self.scripts = {}  # txId -> (ScriptJob, ref) while an approved script runs
        self.unacked = {}
        self.busy = False
        self.last_sync = None
        self.last_error = ""
        self.welcomed = False
        self.snapshot_due = None  # a requested snapshot waiting for open transactions to close
        self.non_finite = None    # the last NON_FINITE reported, not repeated every tick
        self.ids = ids.IdRegistry()
        self.ids.filepath = bpy.data.filepath

    # ---- lifecycle ----
    def start(self):
        ids.current = self.ids
        isolate.look_up_interpreter()  # on a thread: never a subprocess on Blender's main thread
        self._new_session()

    def _new_session(self):
        self.session = Session(self.url, self.token, self.name, bpy.app.version_string, self.generation)
        self.stream = Streamer()
        self.txs, self.unacked, self.welcomed, self.snapshot_due = {}, {}, False, None
        for tx_id in list(self.scripts):
            self._cancel_script(tx_id)
        self.session.start()

    def stop(self):
        for tx_id in list(self.scripts):  # a script's child process must not outlive the adapter
            self._cancel_script(tx_id)
        if self.session:
            self.session.stop()
        if ids.current is self.ids:
            ids.current = None

    def reload(self):
        """After a file load: everything Blender held is new, so a new generation and a new connection."""
        self.stop()
        ids.current = self.ids
        self.ids.file_loaded(bpy.data.filepath)
        self.generation += 1
        self.busy = False
        self._event("generation", generation=self.generation)
        self._new_session()

    @property
    def state(self):
        return self.session.state if self.session else "offline"

    @property
    def in_flight(self):
        """This adapter's own work not yet settled (not the orchestrator's PENDING review count)."""
        return {"unacknowledged": len(self.unacked), "transactions": len(self.txs) + len(self.scripts)}

    def _event(self, kind, **fields):
        if self.trace:
            self.trace(dict(fields, event=kind, t=time.time()))

    def _send(self, mtype, body):
        mid = self.session.send(mtype, body) if self.session else None
        if mid is None:
            _log("not connected; dropped", mtype)
        return mid

    def _error(self, code, message, ref=None, tx_id=None):
        self.last_error = "%s: %s" % (code, message)
        _log("error", self.last_error)
        self._send("error", {"code": code, "message": message[:2000], "ref": ref, "txId": tx_id})

    # ---- the timer ----
    def tick(self):
        """Runs on Blender's main thread (bpy.app.timers, or the headless loop). Returns the next delay."""
        try:
            session = self.session
            while session is not None and not session.inbox.empty():
                kind, payload, extra = session.inbox.get_nowait()
                if kind == "state":
                    self._event("state", state=payload, error=extra)
                    if extra:
                        self.last_error = extra
                    if payload in ("reconnecting", "refused"):
                        self._drop_open_txs()
                elif kind == "welcome":
                    self._on_welcome(payload)
                elif kind == "message":
                    self._on_message(payload)
            self._poll_scripts()
            self._flush_snapshot()
            if self.stream.changes and self.welcomed and not self.busy:
                self.stream_changes()
        except canonical.NonFinite as e:  # a NaN/Inf in the scene: report it, never send it
            # the change stays noted (it is looked at again every tick): report each value once
            if str(e) != self.non_finite:
                self.non_finite = str(e)
                self._error("NON_FINITE", str(e))
        except Exception:  # a bug must not kill the timer; it is logged and the next tick runs
            traceback.print_exc()
        return TICK_S

    def _drop_open_txs(self):
        # the orchestrator forgets a transaction whose target vanished; undo what it left behind
        for tx_id in list(self.scripts):
            self._cancel_script(tx_id)
        for tx_id, sb in list(self.txs.items()):
            sb.rollback()
            self._event("tx_done", txId=tx_id, outcome="rolled_back", why="connection lost")
        self.txs.clear()
        self.unacked.clear()

    # ---- snapshots ----
    def _scene(self):
        return bpy.context.scene

    def current(self):
        return self.stream.current(self._scene())

    def send_snapshot(self, reason):
        t0 = time.perf_counter()
        cur = self.current()
        scene = {"objects": [cur["objects"][k] for k in sorted(cur["objects"])],
                 "materials": [cur["materials"][k] for k in sorted(cur["materials"])]}
        digest = canonical.scene_hash(scene)
        mid = self._send("snapshot", {"reason": reason, "scene": scene, "hash": digest})
        if mid:
            self.stream.set_known(cur, self._scene())
            self.stream.forget_changes()  # the snapshot covers every change noted so far
            self.unacked[mid] = time.time()
        self._event("snapshot", reason=reason, hash=digest, objects=len(scene["objects"]),
                    ms=round((time.perf_counter() - t0) * 1000, 1))
        return digest

    def _flush_snapshot(self):
        # an open transaction is sandbox state the orchestrator has not accepted (it may be about to
        # roll it back): a snapshot exported now would hand it uncommitted values as this scene
        if self.snapshot_due is not None and not self.txs:
            reason, self.snapshot_due = self.snapshot_due, None
            self.send_snapshot(reason)

    def _on_welcome(self, msg):
        self.welcomed = True
        self.snapshot_due = None  # the initial snapshot answers any request of the previous connection
        self._event("welcome", session=msg["session"], generation=self.generation)
        if "source" in self.session.roles:
            self.send_snapshot("initial")

    # ---- streaming ----
    def stream_changes(self):
        if not self.targets:
            self.stream.forget_changes()
            return
        open_ids = set()
        for sb in self.txs.values():
            open_ids.update(sb.touched["object"])
            open_ids.update(sb.touched["material"])
        muts, cur, how = self.stream.take(self._scene(), self.targets, open_ids)
        self.non_finite = None
        if not muts:
            return
        for i in range(0, len(muts), MAX_BATCH):
            chunk = muts[i:i + MAX_BATCH]
            mid = self._send("batch", {"mutations": chunk}) if len(chunk) > 1 else self._send("mutation", {"mutation": chunk[0]})
            if mid is None:
                self.stream.changes.full = True  # nothing is lost: the next pass compares everything again
                return
            self.unacked[mid] = time.time()
        self.stream.accept(muts, cur)
        self._event("streamed", count=len(muts), ops=[m["op"] for m in muts], mids=[m["mid"] for m in muts],
                    full=how["full"], ms=how["ms"])

    # ---- messages ----
    def _on_message(self, msg):
        mtype, body = msg.get("type"), msg.get("body") or {}
        handler = getattr(self, "_on_" + str(mtype), None)
        if handler is None:
            _log("ignoring", mtype)
            return
        handler(msg, body)

    def _on_ack(self, msg, body):
        self.unacked.pop(body["ref"], None)
        self.last_sync = time.time()
        self._event("ack", ref=body["ref"], seq=body["seq"])

    def _on_error(self, msg, body):
        self.last_error = "%s: %s" % (body.get("code"), body.get("message"))
        if body.get("ref"):
            self.unacked.pop(body["ref"], None)
        self._event("orchestrator_error", code=body.get("code"), message=body.get("message"), ref=body.get("ref"))

    def _on_proposal_status(self, msg, body):
        pass

    def _begin(self, tx_id, mutations):
        try:
            sb = apply_mutations(self._scene(), mutations)
        except ApplyError as e:
            # nothing stays applied; the hash of the untouched state makes the orchestrator roll back
            _log("tx", tx_id, "could not apply:", e)
            sb = Sandbox(self._scene())
            for m in mutations:
                kind, sid = subject(m)
                sb._touch(kind, sid)
        self.txs[tx_id] = sb
        return sb

    def _on_tx_begin(self, msg, body):
        tx_id = body["txId"]
        if self.busy:
            return self._error("ENGINE_BUSY", "Blender is busy (loading or undo); retry", msg["id"], tx_id)
        if tx_id in self.txs:
            return self._error("SCHEMA_VIOLATION", "transaction already open", msg["id"], tx_id)
        sb = self._begin(tx_id, body["mutations"])
        digest = canonical.tx_hash(sb.state())
        self._send("tx_hash", {"txId": tx_id, "hash": digest})
        self._event("tx_hash", txId=tx_id, hash=digest, source=body.get("source"))

    def _finish(self, tx_id, outcome):
        self._cancel_script(tx_id)
        sb = self.txs.pop(tx_id, None)
        if sb is not None:
            if outcome == "committed":
                sb.commit()
                state = sb.state()
                known = self.stream.known
                for oid, o in state["objects"].items():
                    if o is None:
                        known["objects"].pop(oid, None)
                    else:
                        known["objects"][oid] = o
                for mid, m in state["materials"].items():
                    if m is not None:
                        known["materials"][mid] = m
                self.last_sync = time.time()
            else:
                sb.rollback()
        self._send("tx_done", {"txId": tx_id, "outcome": outcome})
        self._event("tx_done", txId=tx_id, outcome=outcome, known=sb is not None)

    def _on_tx_commit(self, msg, body):
        self._finish(body["txId"], "committed")

    def _on_tx_rollback(self, msg, body):
        self._finish(body["txId"], "rolled_back")

    def _on_tx_purge(self, msg, body):
        self._finish(body["txId"], "purged")

    def _on_rollback_broadcast(self, msg, body):
        if body["txId"] in self.txs:
            self._finish(body["txId"], "rolled_back")
        else:
            self._event("rollback_broadcast", txId=body["txId"], reason=body.get("reason"))

    def _on_snapshot_request(self, msg, body):
        self.snapshot_due = "requested"
        if self.txs:
            self._event("snapshot_deferred", open=sorted(self.txs))
        self._flush_snapshot()

    def _on_resync(self, msg, body):
        self._drop_open_txs()
        resync(self._scene(), body["scene"])
        self.stream = Streamer()
        cur = self.current()
        # the orchestrator's scene is now what it knows of us; anything Blender could not hold
        # exactly (a name over 63 bytes, a taken name) shows up as an ordinary change next tick
        self.stream.known = {"objects": {o["id"]: o for o in body["scene"]["objects"]},
                             "materials": {m["id"]: m for m in body["scene"]["materials"]}}
        self.stream.changes.full = True
        scene = {"objects": list(cur["objects"].values()), "materials": list(cur["materials"].values())}
        digest = canonical.scene_hash(scene)
        self._event("resynced", hash=digest, expected=body["hash"], equal=digest == body["hash"])

    def _on_script_run(self, msg, body):
        tx_id = body.get("txId")
        try:
            self._start_script(msg, body, tx_id)
        except Exception as e:  # noqa: BLE001 - the orchestrator always hears back, never waits for its timeout
            traceback.print_exc()
            self._cancel_script(tx_id)
            self._event("script_failed", txId=tx_id, reason=repr(e), code="TARGET_FAILED")
            self._error("TARGET_FAILED", "script could not be started: %s: %s" % (type(e).__name__, e), msg.get("id"), tx_id)

    def _start_script(self, msg, body, tx_id):
        try:
            guard.check(body["code"])
        except guard.ScriptRefused as e:
            code = "RESOURCE_LIMIT" if isinstance(e, guard.ScriptTooCostly) else "SECURITY_BLOCKED"
            self._event("script_refused", txId=tx_id, reason=str(e), code=code)
            return self._error(code, "script refused by the Blender adapter: %s" % e, msg["id"], tx_id)
        # what a script changed here is a change of this scene: it goes where local edits go
        job = ScriptJob(self.current(), body["code"], body["touches"], [self.name] + self.targets)
        self.scripts[tx_id] = (job, msg["id"])
        self._event("script_started", txId=tx_id, isolated=job.run.isolated)

    def _poll_scripts(self):
        for tx_id, (job, ref) in list(self.scripts.items()):
            if not job.done():
                continue
            del self.scripts[tx_id]
            try:
                mutations = job.mutations()
                sb = self._begin(tx_id, mutations)
            except (ScriptError, guard.ScriptFailed, guard.ScriptRefused) as e:
                stopped = isinstance(e, (guard.ScriptStopped, guard.ScriptTooCostly))
                code = "RESOURCE_LIMIT" if stopped else "TARGET_FAILED"
                self._event("script_failed", txId=tx_id, reason=str(e), code=code)
                self._error(code, "script failed: %s" % e, ref, tx_id)
                continue
            except Exception as e:  # noqa: BLE001 - a bug still answers the orchestrator
                traceback.print_exc()
                self._event("script_failed", txId=tx_id, reason=repr(e), code="TARGET_FAILED")
                self._error("TARGET_FAILED", "script failed: %s: %s" % (type(e).__name__, e), ref, tx_id)
                continue
            self._send("script_result", {"txId": tx_id, "mutations": mutations})
            self._event("script_result", txId=tx_id, count=len(mutations), hash=canonical.tx_hash(sb.state()))

    def _cancel_script(self, tx_id):
        entry = self.scripts.pop(tx_id, None)
        if entry is not None:
            entry[0].cancel()
