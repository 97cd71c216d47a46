# Test driver inside headless Blender: starts the adapter from VIBESYNC_* variables, prints every
# adapter event as "VIBESYNC_EVENT {json}", and executes the Python lines the test writes to
# stdin (JSON {"exec": code}) on the main thread, printing "VIBESYNC_DONE {id}" after each.
import json
import os
import queue
import sys
import threading
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import bpy

from vibesync_blender.blender import export, headless, running
from vibesync_blender.core.config import config_from

commands = queue.Queue()


def read_stdin():
    for line in sys.stdin:
        if line.strip():
            commands.put(json.loads(line))
    commands.put({"quit": True})


def emit(event):
    print("VIBESYNC_EVENT " + json.dumps(event), flush=True)


def step(adapter):
    while not commands.empty():
        cmd = commands.get_nowait()
        if cmd.get("quit"):
            return False
        try:
            env = {"bpy": bpy, "adapter": adapter, "export": export, "emit": emit}
            exec(cmd["exec"], env)  # noqa: S102 - the test's own code, sent by the test runner on stdin
        except Exception:  # noqa: BLE001 - a failed command is reported to the test, and the driver goes on
            traceback.print_exc()
            emit({"event": "driver_error", "id": cmd.get("id"), "error": traceback.format_exc()[-500:]})
        print("VIBESYNC_DONE %s" % cmd.get("id"), flush=True)
    return True


threading.Thread(target=read_stdin, daemon=True).start()
adapter = running.start(config_from(), trace=emit, generation=int(os.environ.get("VIBESYNC_GENERATION", "1")))
try:
    headless.run(adapter, on_step=step)
finally:
    running.stop()
    emit({"event": "exit"})
