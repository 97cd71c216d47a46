# The bpy.app handlers that feed the running adapter: a depsgraph update notes what changed for the
# source stream; a frame change (frame_set, playback, scrubbing: no depsgraph update fires) only flags
# it, so playback costs nothing per frame here and the stream reads the latest frame; a file load
# says busy, then opens a new generation; undo/redo say busy and ready, and make the next stream pass
# compare everything.
import bpy
from bpy.app.handlers import persistent

from . import running

_KINDS = tuple((name, getattr(bpy.types, name)) for name in ("Object", "Mesh", "Material", "Image", "Collection", "Scene",
                                                               "Light", "Camera"))


@persistent
def _on_depsgraph(scene, depsgraph):
    adapter = running.get()
    if adapter is None:
        return
    changes = adapter.stream.changes
    for update in depsgraph.updates:
        idb = update.id.original if update.id else None
        if idb is None:
            continue
        kind = next((k for k, t in _KINDS if isinstance(idb, t)), "other")
        geometry = idb.data.name if kind == "Object" and update.is_updated_geometry and idb.type == "MESH" else None
        changes.note(kind, idb.name, geometry)


@persistent
def _on_frame_change(*_args):
    adapter = running.get()
    if adapter is not None:
        adapter.stream.changes.frame = True


@persistent
def _on_load_pre(*_args):
    adapter = running.get()
    if adapter is not None:
        adapter.ids.leaving(bpy.data.filepath)
    if adapter is not None and adapter.session is not None:
        adapter.busy = True
        adapter.session.send("busy", {"reason": "loading", "expectedMs": 10000})


@persistent
def _on_load_post(*_args):
    adapter = running.get()
    if adapter is not None:
        adapter.reload()


@persistent
def _on_undo_pre(*_args):
    adapter = running.get()
    if adapter is not None and adapter.session is not None and not adapter.busy:
        adapter.busy = True
        adapter.session.send("busy", {"reason": "undo", "expectedMs": 2000})


@persistent
def _on_undo_post(*_args):
    adapter = running.get()
    if adapter is None:
        return
    adapter.stream.changes.full = True  # undo replaces datablocks wholesale: compare everything
    if adapter.busy:
        adapter.busy = False
        if adapter.session is not None:
            adapter.session.send("ready", {})


HANDLERS = (("depsgraph_update_post", _on_depsgraph), ("frame_change_post", _on_frame_change),
            ("load_pre", _on_load_pre), ("load_post", _on_load_post),
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
