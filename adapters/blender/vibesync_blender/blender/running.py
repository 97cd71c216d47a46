# The adapter running in this Blender, or None while disconnected: one per Blender process, started
# by the panel's Connect, run_headless.py or a test driver, and read by the bpy handlers, the timer
# and the panel.
from .adapter.router import Adapter

_adapter = None


def get():
    return _adapter


def start(config, trace=None, generation=None):
    global _adapter
    stop()
    _adapter = Adapter(config["url"], config["token"], config["name"], config["targets"], generation=generation, trace=trace)
    _adapter.start()
    return _adapter


def stop():
    global _adapter
    if _adapter is not None:
        _adapter.stop()
    _adapter = None
