# VibeSync Blender add-on: keeps this Blender scene in sync with the VibeSync orchestrator.
# Registration, preferences, depsgraph/load/undo handlers and the main-thread timer live here;
# the protocol logic is in adapter.py, the UI in ui.py.
bl_info = {
    "name": "VibeSync",
    "author": "VibeSync team",
    "version": (0, 1, 0),
    "blender": (3, 0, 0),
    "location": "3D Viewport > Sidebar > VibeSync",
    "description": "Sync this scene with the VibeSync orchestrator (Blender, Unity, Godot)",
    "category": "Import-Export",
}

import os  # noqa: E402

try:
    import bpy
    from bpy.app.handlers import persistent
except ImportError:  # plain python3 (unit tests of the pure modules)
    bpy = None

    def persistent(f):
        return f

_adapter = None


def get_adapter():
    return _adapter


def config_from(prefs=None):
    """Environment first (headless runs), then the add-on preferences."""
    def pick(env, attr, default=""):
        return os.environ.get(env) or (getattr(prefs, attr, "") if prefs else "") or default
    targets = pick("VIBESYNC_TARGETS", "targets")
    return {
        "url": pick("VIBESYNC_URL", "url", "ws://127.0.0.1:7420/adapter"),
        "token": pick("VIBESYNC_TOKEN", "token"),
        "name": pick("VIBESYNC_NAME", "engine_name", "blender"),
        "targets": [t.strip() for t in targets.split(",") if t.strip()],
    }


def start(config, trace=None, generation=None):
    global _adapter
    from .adapter import Adapter
    stop()
    _adapter = Adapter(config["url"], config["token"], config["name"], config["targets"], generation=generation, trace=trace)
    _adapter.start()
    return _adapter


def stop():
    global _adapter
    if _adapter is not None:
        _adapter.stop()
    _adapter = None


_KINDS = tuple((name, getattr(bpy.types, name)) for name in ("Object", "Mesh", "Material", "Image", "Collection", "Scene")) if bpy else ()


@persistent
def _on_depsgraph(scene, depsgraph):
    if _adapter is None:
        return
    changes = _adapter.stream.changes
    for update in depsgraph.updates:
        idb = update.id.original if update.id else None
        if idb is None:
            continue
        kind = next((k for k, t in _KINDS if isinstance(idb, t)), "other")
        geometry = idb.data.name if kind == "Object" and update.is_updated_geometry and idb.type == "MESH" else None
        changes.note(kind, idb.name, geometry)


@persistent
def _on_load_pre(*_args):
    if _adapter is not None:
        _adapter.ids.leaving(bpy.data.filepath)
    if _adapter is not None and _adapter.session is not None:
        _adapter.busy = True
        _adapter.session.send("busy", {"reason": "loading", "expectedMs": 10000})


@persistent
def _on_load_post(*_args):
    if _adapter is not None:
        _adapter.reload()


@persistent
def _on_undo_pre(*_args):
    if _adapter is not None and _adapter.session is not None and not _adapter.busy:
        _adapter.busy = True
        _adapter.session.send("busy", {"reason": "undo", "expectedMs": 2000})


@persistent
def _on_undo_post(*_args):
    if _adapter is None:
        return
    _adapter.stream.changes.full = True  # undo replaces datablocks wholesale: compare everything
    if _adapter.busy:
        _adapter.busy = False
        if _adapter.session is not None:
            _adapter.session.send("ready", {})


HANDLERS = (("depsgraph_update_post", _on_depsgraph), ("load_pre", _on_load_pre), ("load_post", _on_load_post),
            ("undo_pre", _on_undo_pre), ("undo_post", _on_undo_post), ("redo_pre", _on_undo_pre),
            ("redo_post", _on_undo_post))


def add_handlers():
    for name, fn in HANDLERS:
        lst = getattr(bpy.app.handlers, name)
        if fn not in lst:
            lst.append(fn)


def remove_handlers():
    for name, fn in HANDLERS:
        lst = getattr(bpy.app.handlers, name)
        if fn in lst:
            lst.remove(fn)


def _timer():
    return _adapter.tick() if _adapter is not None else 0.5


def register():
    from . import ui
    ui.register()
    add_handlers()
    if not bpy.app.timers.is_registered(_timer):
        bpy.app.timers.register(_timer, first_interval=0.1, persistent=True)


def unregister():
    from . import ui
    stop()
    if bpy.app.timers.is_registered(_timer):
        bpy.app.timers.unregister(_timer)
    remove_handlers()
    ui.unregister()
