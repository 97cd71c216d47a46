# The adapter's main-thread controller: owns the connection to the orchestrator (one Session per
# generation; a file reload means a new generation and a new connection), drains the session's queue
# from a bpy timer and hands each message to the handler of its type: replies (ack, error),
# snapshots (snapshot_request, resync) and transactions (tx_*, rollback_broadcast). AI scripts never
# reach an engine: the orchestrator runs them in its sandbox and sends their mutations. Live frames
# (the binary live lane, when welcome grants it) go both ways through live.py.
# Each tick it also streams this Blender's own edits (source.py). Handlers reach the
# connection through send/error/event and the scene through scene/current.
import time
import traceback

import bpy

from ...core import canonical, ids
from ...core.session import Session
from ..stream import Streamer
from .blobs import Blobs
from .live import Live
from .log import log
from .replies import Replies
from .snapshots import Snapshots
from .source import Source
from .transactions import Transactions

TICK_S = 0.02


class Adapter:
    def __init__(self, url, token, name, targets, generation=None, trace=None):
        self.url, self.token, self.name = url, token, name
        self.targets = [t for t in targets if t and t != name]
        self.generation = int(time.time()) if generation is None else generation
        self.trace = trace  # optional callable(event: dict), used by headless runs and tests
        self.session = None
        self.stream = Streamer()  # what the orchestrator knows of this scene, and what changed since
        self.unacked = {}
        self.busy = False
        self.last_sync = None
        self.last_error = ""
        self.welcomed = False
        self.non_finite = None    # the last NON_FINITE reported, not repeated every tick
        self.ids = ids.IdRegistry()
        self.ids.filepath = bpy.data.filepath
        self.replies = Replies(self)
        self.snapshots = Snapshots(self)
        self.transactions = Transactions(self)
        self.source = Source(self)
        self.blobs = Blobs(self)
        self.live = Live(self)
        self.routes = {
            "blob_need": self.blobs.on_need,
            "blob_stored": self.blobs.on_stored,
            "live_settled": self.live.on_settled,
            "ack": self.replies.on_ack,
            "error": self.replies.on_error,
            "proposal_status": self.replies.on_proposal_status,
            "snapshot_request": self.snapshots.on_request,
            "resync": self.snapshots.on_resync,
            "tx_begin": self.transactions.on_begin,
            "tx_commit": self.transactions.on_commit,
            "tx_rollback": self.transactions.on_rollback,
            "tx_purge": self.transactions.on_purge,
            "rollback_broadcast": self.transactions.on_rollback_broadcast,
        }

    # ---- lifecycle ----
    def start(self):
        ids.current = self.ids
        self._new_session()

    def _new_session(self):
        self.session = Session(self.url, self.token, self.name, bpy.app.version_string, self.generation)
        self.stream = Streamer()
        self.transactions.forget()
        self.unacked, self.welcomed = {}, False
        self.snapshots.forget()
        self.blobs.forget()
        self.live.forget()
        self.session.start()

    def stop(self):
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
        self.event("generation", generation=self.generation)
        self._new_session()

    @property
    def state(self):
        return self.session.state if self.session else "offline"

    @property
    def in_flight(self):
        """This adapter's own work not yet settled (not the orchestrator's PENDING review count)."""
        return {"unacknowledged": len(self.unacked), "transactions": len(self.transactions.open)}

    # ---- what handlers use ----
    def event(self, kind, **fields):
        if self.trace:
            self.trace(dict(fields, event=kind, t=time.time()))

    def send(self, mtype, body):
        mid = self.session.send(mtype, body) if self.session else None
        if mid is None:
            log("not connected; dropped", mtype)
        return mid

    def error(self, code, message, ref=None, tx_id=None):
        self.last_error = "%s: %s" % (code, message)
        log("error", self.last_error)
        self.send("error", {"code": code, "message": message[:2000], "ref": ref, "txId": tx_id})

    def scene(self):
        return bpy.context.scene

    def current(self):
        return self.stream.current(self.scene())

    # ---- the timer ----
    def tick(self):
        """Runs on Blender's main thread (bpy.app.timers, or the headless loop). Returns the next delay."""
        try:
            session = self.session
            while session is not None and not session.inbox.empty():
                kind, payload, extra = session.inbox.get_nowait()
                if kind == "state":
                    self.event("state", state=payload, error=extra)
                    if extra:
                        self.last_error = extra
                    if payload in ("reconnecting", "refused"):
                        self.drop_open_work()
                elif kind == "welcome":
                    self._on_welcome(payload)
                elif kind == "message":
                    self.dispatch(payload)
                elif kind == "blob":
                    self.blobs.received(payload, extra)
                elif kind == "blob_error":
                    self.error("TARGET_FAILED", payload)
                elif kind == "live":
                    self.live.apply(payload, extra)
                elif kind == "live_error":  # not answered: the orchestrator's own frame, logged for people
                    self.last_error = "bad live frame: %s" % payload
                    self.event("live_error", message=payload)
            self.snapshots.flush()
            if self.stream.changes and self.welcomed and not self.busy:
                self.source.stream_changes()
        except canonical.NonFinite as e:  # a NaN/Inf in the scene: report it, never send it
            # the change stays noted (it is looked at again every tick): report each value once
            if str(e) != self.non_finite:
                self.non_finite = str(e)
                self.error("NON_FINITE", str(e))
        except Exception:  # noqa: BLE001 - a bug must not kill the timer; it is logged and the next tick runs
            traceback.print_exc()
        return TICK_S

    def drop_open_work(self):
        # the orchestrator forgets a transaction whose target vanished; undo what it left behind
        self.transactions.roll_back_all("connection lost")
        self.unacked.clear()

    def _on_welcome(self, msg):
        self.welcomed = True
        self.blobs.forget()
        self.live.on_welcome(self.session.granted)
        self.snapshots.forget()  # the initial snapshot answers any request of the previous connection
        self.event("welcome", session=msg["session"], generation=self.generation, live=self.live.granted)
        if "source" in self.session.roles:
            self.snapshots.send("initial")

    # ---- messages ----
    def dispatch(self, msg):
        """Hands one orchestrator message to the handler of its type."""
        mtype, body = msg.get("type"), msg.get("body") or {}
        handler = self.routes.get(mtype)
        if handler is None:
            log("ignoring", mtype)
            return
        handler(msg, body)
