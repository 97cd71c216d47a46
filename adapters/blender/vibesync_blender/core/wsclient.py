# A small RFC 6455 WebSocket client on the standard library (Blender ships no websockets):
# client handshake with Sec-WebSocket-Accept check, masked frames, ping/pong, close,
# fragmented messages on receive, 16- and 64-bit lengths. ws:// only (loopback in practice).
import base64
import hashlib
import os
import socket
import struct
import threading
from urllib.parse import urlsplit

try:
    import numpy as np
except ImportError:  # masking falls back to a big-integer XOR
    np = None

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
# The orchestrator's largest frame: a `resync` carries a whole scene, up to its snapshot cap
# (FRAME_LIMITS.snapshotBytes in shared/protocol/frame-limits.ts).
MAX_MESSAGE = 256 * 1024 * 1024


class WsError(IOError):
    pass


class WsClosed(WsError):
    def __init__(self, code, reason):
        super().__init__("closed %s %s" % (code, reason))
        self.code, self.reason = code, reason


def accept_key(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode("ascii")).digest()).decode("ascii")


SCRATCH_MAX = 4 << 20  # a blob chunk frame is 1 MiB and 48 bytes


def _mask(payload, key):
    # XOR with the 4-byte key repeated, done as one big-integer operation (fast for large frames)
    n = len(payload)
    if n == 0:
        return b""
    reps = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(reps, "big")).to_bytes(n, "big")


def _header(opcode, n, fin):
    head = bytearray([(0x80 if fin else 0) | opcode])
    if n < 126:
        head.append(0x80 | n)
    elif n < 1 << 16:
        head.append(0x80 | 126)
        head += struct.pack("!H", n)
    else:
        head.append(0x80 | 127)
        head += struct.pack("!Q", n)
    return bytes(head)


def encode_frame(opcode, payload, fin=True, mask_key=None, scratch=None):
    """One client frame (masked, as RFC 6455 requires of clients). `payload`: a bytes-like object
    or a tuple of them (a blob chunk's header and its slice of the blob, never joined). A large
    payload is masked with numpy when this Python has it, in place in one buffer (`scratch`, a
    uint8 array reused by the caller, when it is large enough): under Blender's allocator every
    fresh megabyte costs milliseconds, and the big-integer path makes several copies of it."""
    parts = payload if isinstance(payload, tuple) else (payload,)
    mask_key = mask_key if mask_key is not None else os.urandom(4)
    n = sum(len(p) for p in parts)
    head = _header(opcode, n, fin)
    if np is None or n < 65536:
        return head + mask_key + _mask(b"".join(parts), mask_key)
    size = len(head) + 4 + n
    frame = scratch[:size] if scratch is not None and len(scratch) >= size else np.empty(size, dtype=np.uint8)
    frame[:len(head)] = np.frombuffer(head, dtype=np.uint8)
    frame[len(head):len(head) + 4] = np.frombuffer(mask_key, dtype=np.uint8)
    body = frame[len(head) + 4:]
    at = 0
    for p in parts:
        body[at:at + len(p)] = np.frombuffer(p, dtype=np.uint8)
        at += len(p)
    whole = n - n % 4
    words = body[:whole].view(np.uint32)  # bytewise XOR: the key read in the same byte order as the words
    words ^= np.frombuffer(mask_key, dtype=np.uint32)[0]
    body[whole:] ^= np.frombuffer(mask_key[:n - whole], dtype=np.uint8)
    return memoryview(frame)


class WsClient:
    def __init__(self, url, headers=None, timeout=5.0):
        parts = urlsplit(url)
        if parts.scheme != "ws":
            raise WsError("only ws:// URLs are supported, got %r" % url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        self.headers = headers or {}
        self.timeout = timeout
        self.sock = None
        self._send_lock = threading.Lock()
        self._scratch = None
        self._buf = b""
        self.closed = False

    # ---- handshake ----
    def connect(self):
        self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        lines = [
            "GET %s HTTP/1.1" % self.path,
            "Host: %s:%d" % (self.host, self.port),
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: %s" % key,
            "Sec-WebSocket-Version: 13",
        ] + ["%s: %s" % kv for kv in self.headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        while b"\r\n\r\n" not in self._buf:
            if len(self._buf) > 16384:
                raise WsError("handshake response too large")
            self._fill()
        head, self._buf = self._buf.split(b"\r\n\r\n", 1)
        status, *header_lines = head.decode("latin-1").split("\r\n")
        if " 101 " not in status + " ":
            raise WsError("handshake refused: %s" % status)
        got = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            got[name.strip().lower()] = value.strip()
        if got.get("sec-websocket-accept") != accept_key(key):
            raise WsError("bad Sec-WebSocket-Accept")
        if got.get("upgrade", "").lower() != "websocket":
            raise WsError("server did not upgrade to websocket")
        self.sock.settimeout(None)
        return self

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise WsClosed(1006, "connection lost")
        self._buf += chunk

    def _read(self, n):
        while len(self._buf) < n:
            self._fill()
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    # ---- sending (thread-safe) ----
    def _send_frame(self, opcode, payload, fin=True):
        n = sum(len(p) for p in payload) if isinstance(payload, tuple) else len(payload)
        with self._send_lock:
            if np is not None and 65536 <= n <= SCRATCH_MAX and (self._scratch is None or len(self._scratch) < n + 14):
                self._scratch = np.empty(n + 14, dtype=np.uint8)  # frames up to this size are written here, sent, reused
            frame = encode_frame(opcode, payload, fin, scratch=self._scratch)
            if self.closed:
                raise WsClosed(1006, "already closed")
            self.sock.sendall(frame)

    def send_text(self, text):
        self._send_frame(OP_TEXT, text.encode("utf-8"))

    def send_binary(self, data):
        self._send_frame(OP_BINARY, data)

    def ping(self, data=b""):
        self._send_frame(OP_PING, data)

    def close(self, code=1000, reason=""):
        if self.closed or self.sock is None:
            return
        try:
            self._send_frame(OP_CLOSE, struct.pack("!H", code) + reason.encode("utf-8")[:120])
        except OSError:
            pass
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    # ---- receiving (one reader thread) ----
    def _read_frame(self):
        b0, b1 = self._read(2)
        fin, opcode, n = bool(b0 & 0x80), b0 & 0x0F, b1 & 0x7F
        if b0 & 0x70:
            raise WsError("reserved bits set (no extension was negotiated)")
        if b1 & 0x80:
            raise WsError("server frames must not be masked")
        if n == 126:
            n = struct.unpack("!H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read(8))[0]
        if n > MAX_MESSAGE:
            raise WsError("frame of %d bytes exceeds the limit" % n)
        return fin, opcode, self._read(n)

    def recv(self):
        """The next data message as str (text) or bytes (binary). Answers pings; raises WsClosed."""
        parts, first_op = [], None
        while True:
            try:
                fin, op, payload = self._read_frame()
            except WsClosed:
                self.closed = True
                raise
            except WsError as e:
                self.close(1002, "protocol error")
                raise WsClosed(1002, str(e)) from e
            except OSError as e:
                was_closed, self.closed = self.closed, True
                raise WsClosed(1006, "closed locally" if was_closed else str(e)) from e
            if op == OP_PING:
                self._send_frame(OP_PONG, payload)
                continue
            if op == OP_PONG:
                continue
            if op == OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                reason = payload[2:].decode("utf-8", "replace")
                try:
                    self._send_frame(OP_CLOSE, payload[:2])
                except OSError:
                    pass
                self.closed = True
                self.sock.close()
                raise WsClosed(code, reason)
            if op in (OP_TEXT, OP_BINARY):
                if first_op is not None:
                    raise WsError("new data frame inside a fragmented message")
                first_op = op
            elif op != OP_CONT or first_op is None:
                raise WsError("unexpected opcode %d" % op)
            parts.append(payload)
            if sum(len(p) for p in parts) > MAX_MESSAGE:
                raise WsError("message exceeds the limit")
            if fin:
                data = b"".join(parts)
                return data.decode("utf-8") if first_op == OP_TEXT else data
