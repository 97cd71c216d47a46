# Headless Blender with the VibeSync add-on, configured from the environment:
#   VIBESYNC_URL=ws://127.0.0.1:7420/adapter VIBESYNC_TOKEN=... VIBESYNC_NAME=blender \
#   VIBESYNC_TARGETS=unity,godot blender -b scene.blend --python adapters/blender/run_headless.py
# VIBESYNC_TRACE=path appends one JSON line per adapter event (connected, snapshot, tx...).
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from vibesync_blender.blender import headless, running
from vibesync_blender.core.config import config_from

trace_path = os.environ.get("VIBESYNC_TRACE")


def trace(event):
    line = json.dumps(event)
    print("VIBESYNC_EVENT " + line, flush=True)
    if trace_path:
        with open(trace_path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


config = config_from()
if not config["token"]:
    sys.exit("VIBESYNC_TOKEN is not set")
adapter = running.start(config, trace=trace)
try:
    headless.run(adapter)
except KeyboardInterrupt:
    pass
finally:
    running.stop()
