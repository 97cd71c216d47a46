# Runs an approved AI script in a child Python process the adapter can kill. The in-process wall
# (guard.py) refuses and bounds what it can see, but one C-level call (sorting a million large
# lists, a string method on a huge string) holds the interpreter lock for as long as it likes;
# in a child it only holds its own, the adapter stops waiting at TIMEOUT_S and kills it, and an
# address-space limit turns a memory bomb into MemoryError. The child sees plain JSON data only
# (never bpy, never this process's environment). Where no usable Python binary is found, the
# script runs in-process on a worker thread with guard.py's limits alone.
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from . import guard

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "script_child.py")
TIMEOUT_S = guard.MAX_SECONDS + 2.0  # the child's own time budget plus process start-up
MEMORY_BYTES = 256 << 20


def _is_binary(path):
    try:
        with open(path, "rb") as f:
            return f.read(2) != b"#!"  # version-manager shims are shell scripts: slow, and not this Python
    except OSError:
        return False


RETRY_S = 60.0  # a failed look-up is tried again after this long (a Python installed meanwhile)
_lookup = {"path": None, "failed_at": None}
_lookup_lock = threading.Lock()


def interpreter():
    """A Python binary of this interpreter's version (Blender's bundled one, or Debian's), or None.
    Blocks while it looks (a subprocess per candidate): call it from a worker thread, never from
    Blender's main thread. A path found is kept; a failure is remembered for RETRY_S only."""
    with _lookup_lock:
        if _lookup["path"] is None:
            failed = _lookup["failed_at"]
            if failed is not None and time.monotonic() - failed < RETRY_S:
                return None
            _lookup["path"] = _search()
            _lookup["failed_at"] = None if _lookup["path"] else time.monotonic()
        return _lookup["path"]


def known_interpreter():
    """False when the last look-up found nothing (and is not due again), else True; never blocks."""
    failed = _lookup["failed_at"]
    return _lookup["path"] is not None or failed is None or time.monotonic() - failed >= RETRY_S


def look_up_interpreter():
    """Starts the look-up on a thread (the adapter does at start), so a script need not wait for it."""
    threading.Thread(target=interpreter, name="vibesync-python-lookup", daemon=True).start()


def _search():
    version = "%d.%d" % sys.version_info[:2]
    names = ("python" + version, "python3", "python", "python.exe", "python%s.exe" % version.replace(".", ""))
    candidates = [os.path.join(d, n) for d in (os.path.join(sys.exec_prefix, "bin"), sys.exec_prefix) for n in names]
    for path in candidates + [sys.executable]:
        if not (path and os.path.isfile(path) and os.access(path, os.X_OK) and _is_binary(path)):
            continue
        try:
            out = subprocess.run([path, "-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, timeout=10, **_quiet())
        except (OSError, subprocess.SubprocessError):
            continue
        if out.returncode == 0 and out.stdout.decode().strip() == version:
            return path
    return None


def _quiet():
    # no console window on Windows; a clean environment (no tokens) and a neutral working directory
    env = {k: os.environ[k] for k in ("PATH", "SYSTEMROOT") if k in os.environ}
    return {"env": env, "cwd": tempfile.gettempdir(), "creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)}


_ERRORS = {"refused": guard.ScriptRefused, "too_costly": guard.ScriptTooCostly,
           "stopped": guard.ScriptStopped, "failed": guard.ScriptFailed}


class IsolatedRun:
    """One script run on a worker thread; `namespace` is plain JSON data. Poll done(), then outcome()."""

    def __init__(self, code, namespace, timeout=TIMEOUT_S, memory=MEMORY_BYTES, isolated=True):
        self.code, self.namespace, self.timeout, self.memory = code, namespace, timeout, memory
        # as far as known now; _run settles it on the worker thread (the look-up may block there)
        self.isolated = isolated and known_interpreter()
        self._result, self._error, self._proc = None, None, None
        self._cancelled = False
        self._done = threading.Event()
        threading.Thread(target=self._run, name="vibesync-script", daemon=True).start()

    def done(self):
        return self._done.is_set()

    def wait(self, timeout=None):
        return self._done.wait(timeout)

    def cancel(self):
        self._cancelled = True
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()

    def outcome(self):
        """The namespace after the run; raises guard.ScriptRefused / ScriptFailed (ScriptStopped)."""
        if self._error is not None:
            raise self._error
        return self._result

    def _run(self):
        try:
            path = interpreter() if self.isolated else None
            self.isolated = path is not None
            self._result = self._in_child(path) if path else self._in_process()
        except (guard.ScriptRefused, guard.ScriptFailed) as e:
            self._error = e
        except Exception as e:  # noqa: BLE001 - reported as the script's failure, never lost
            self._error = guard.ScriptFailed("could not run the script: %s" % e)
        finally:
            self._done.set()

    def _in_process(self):
        namespace = json.loads(json.dumps(self.namespace))
        guard.run(self.code, namespace)
        return namespace

    def _in_child(self, path):
        request = json.dumps({"code": self.code, "namespace": self.namespace, "seconds": guard.MAX_SECONDS,
                              "memory": self.memory, "cpu_seconds": int(math.ceil(self.timeout)) + 1})
        self._proc = proc = subprocess.Popen([path, "-I", "-S", "-B", CHILD], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, **_quiet())
        if self._cancelled:
            proc.kill()
        try:
            out, err = proc.communicate(request.encode("utf-8"), timeout=self.timeout)
        except subprocess.TimeoutExpired as e:
            proc.kill()
            proc.communicate()
            raise guard.ScriptStopped("script ran longer than %.1f s and was stopped" % self.timeout) from e
        if self._cancelled:
            raise guard.ScriptStopped("script cancelled")
        try:
            answer = json.loads(out.decode("utf-8").strip().splitlines()[-1])
        except (ValueError, IndexError) as e:
            if proc.returncode == -getattr(signal, "SIGXCPU", -1):
                cpu = math.ceil(self.timeout) + 1
                raise guard.ScriptStopped("script ran longer than %d s of CPU time and was stopped" % cpu) from e
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise guard.ScriptStopped("script process ended with code %s %s" % (proc.returncode, tail[0][:200])) from e
        if answer.get("ok"):
            return answer["namespace"]
        raise _ERRORS.get(answer.get("kind"), guard.ScriptFailed)(answer.get("message", "script failed"))
