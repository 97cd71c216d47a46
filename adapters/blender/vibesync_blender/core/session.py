# The connection to the orchestrator, on background threads (never touching bpy): connect,
# handshake, heartbeats, receive into a queue the main thread drains, reconnect with backoff
# (100 ms -> 400 ms -> 1600 ms, +-20 % jitter, then every 1600 ms). Sending is thread-safe.
# Binary frames are told apart by their first byte: blob chunks are reassembled and verified here,
# live frames (kind 2) are decoded here; the main thread gets whole blobs and decoded frames.
import json
import queue
import random
import threading
import time
import uuid

from . import live
from .blobs import Assembler, BlobError
from .wsclient import WsClient, WsClosed, WsError

BACKOFF = (0.1, 0.4, 1.6)
CAPABILITIES = ["snapshot", "tx", "resync", "script.python", "busy", "blobs", live.CAPABILITY]


def now_ms():
    return int(time.time() * 1000)


class Refused(Exception):
    """The orchestrator answered the handshake with an error (AUTH_FAILED, NAME_IN_USE, PANIC, ...)."""


class Session:
    """State strings: offline, connecting, handshaken, healthy, reconnecting, refused, stopped."""

    def __init__(self, url, token, name, engine_version, generation, roles=("source", "target")):
        self.url, self.token, self.name = url, token, name
        self.engine_version = engine_version
        self.generation = generation
        self.roles = list(roles)
        self.inbox = queue.Queue()
        self.state = "offline"
        self.session_id = None
        self.granted = []  # the capabilities welcome granted (the live lane only when "live" is in it)
        self.heartbeat_ms = 1000
        self.last_error = ""
        self._ws = None
        self._stop = threading.Event()
        self._thread = None
        self._seq = 0
        self._msg_seq = 0
        self._lock = threading.Lock()

    # ---- lifecycle ----
    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="vibesync-session", daemon=True)
        self._thread.start()

    def stop(self, code=1000, reason="bye"):
        self._stop.set()
        ws = self._ws
        if ws is not None:
            ws.close(code, reason)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=3)
        self._set_state("stopped")

    def _set_state(self, state, error=""):
        self.state = state
        if error:
            self.last_error = error
        self.inbox.put(("state", state, error))

    # ---- sending ----
    def _envelope(self, mtype, body, session):
        with self._lock:
            self._msg_seq += 1
            mid = "%s-%d" % (uuid.uuid4().hex[:12], self._msg_seq)
        return mid, {"v": 1, "id": mid, "session": session, "gen": self.generation, "ts": now_ms(),
                     "type": mtype, "body": body}

    def send(self, mtype, body):
        """Sends one message; returns its id, or None when not connected (the caller keeps its state)."""
        ws = self._ws
        if ws is None or self.session_id is None:
            return None
        mid, msg = self._envelope(mtype, body, self.session_id)
        try:
            ws.send_text(json.dumps(msg, separators=(",", ":"), ensure_ascii=False, allow_nan=False))
        except (OSError, WsError):
            return None
        return mid

    def send_binary(self, frame):
        """Sends one binary frame (a blob chunk, as bytes or as (header, payload) parts; a live frame); False when not connected."""
        ws = self._ws
        if ws is None or self.session_id is None:
            return False
        try:
            ws.send_binary(frame)
        except (OSError, WsError):
            return False
        return True

    # ---- background ----
    def _run(self):
        attempt = 0
        while not self._stop.is_set():
            self._set_state("connecting")
            try:
                self._connect_once()
                attempt = 0
            except Refused as e:
                if "NAME_IN_USE" in str(e):  # our previous connection is still closing (reload)
                    self._set_state("reconnecting", str(e))
                    self._stop.wait(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                    attempt += 1
                    continue
                # keep trying slowly: a lead may reset the token or lift the quarantine meanwhile
                self._set_state("refused", str(e))
                self._stop.wait(5.0)
                continue
            except WsClosed as e:
                self._set_state("reconnecting", "closed %s %s" % (e.code, e.reason))
            except (OSError, WsError, ValueError) as e:
                self._set_state("reconnecting", str(e))
            finally:
                self._ws = None
                self.session_id = None
            if self._stop.is_set():
                break
            delay = BACKOFF[min(attempt, len(BACKOFF) - 1)] * random.uniform(0.8, 1.2)
            attempt += 1
            self._stop.wait(delay)

    def _connect_once(self):
        ws = WsClient(self.url, timeout=5.0).connect()
        self._ws = ws
        _, hello = self._envelope("handshake", {
            "token": self.token, "name": self.name,
            "engine": {"kind": "blender", "version": self.engine_version},
            "roles": self.roles, "capabilities": CAPABILITIES, "generation": self.generation,
        }, None)
        ws.send_text(json.dumps(hello, separators=(",", ":")))
        welcome = json.loads(ws.recv())
        if welcome.get("type") != "welcome":
            body = welcome.get("body") or {}
            ws.close(1000, "refused")
            raise Refused("%s: %s" % (body.get("code"), body.get("message")))
        self.session_id = welcome["session"]
        self.heartbeat_ms = int(welcome["body"]["heartbeatMs"])
        self.granted = list(welcome["body"].get("capabilities") or [])
        self._set_state("healthy")
        self.inbox.put(("welcome", welcome, None))
        beat = threading.Thread(target=self._heartbeat, args=(ws,), name="vibesync-heartbeat", daemon=True)
        beat.start()
        blobs = Assembler()
        while True:
            raw = ws.recv()
            if isinstance(raw, (bytes, bytearray)) and live.is_live(raw):
                try:
                    self.inbox.put(("live",) + live.decode(raw))
                except live.LiveError as e:
                    self.inbox.put(("live_error", str(e), None))
                continue
            if isinstance(raw, (bytes, bytearray)):
                # blob chunks are put together and verified here, off Blender's main thread
                try:
                    whole = blobs.add(raw)
                except BlobError as e:
                    self.inbox.put(("blob_error", str(e), None))
                    continue
                if whole is not None:
                    self.inbox.put(("blob", whole[0], whole[1]))
                continue
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            self.inbox.put(("message", msg, None))

    def _heartbeat(self, ws):
        interval = max(0.05, self.heartbeat_ms / 1000.0)
        while not self._stop.is_set() and self._ws is ws and not ws.closed:
            self._seq += 1
            if self.send("heartbeat", {"seq": self._seq}) is None and ws.closed:
                return
            self._stop.wait(interval)
