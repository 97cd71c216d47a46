# Live streaming as a source: what changed in Blender since the orchestrator last heard, as
# mutations. A depsgraph update names the objects, meshes and materials it touched; only those are
# exported and compared with what the orchestrator knows (a drag of one object among 1,000 costs
# one object's export; an edited mesh reuses its faces and UVs when only vertices moved,
# export.mesh_summary). A change of structure, an object the stream has not seen, undo/redo and
# resync take the full path: export everything, compare everything. A frame change (playback) names
# no object: the pass that takes it looks at every frame-dependent object (animated.py), as it is at
# that moment, so frames changed since the last pass are coalesced, the latest winning.
import time

import bpy

from ..core import mesh_arrays
from ..core.changes import Changes
from ..core.diff import diff
from ..core.mutation import subject
from . import animated, export
from .export import ID_PROP


def empty():
    return {"objects": {}, "materials": {}}


class Streamer:
    def __init__(self):
        self.known = empty()          # what the orchestrator holds of this scene
        self.changes = Changes()
        self.mesh_cache = {}          # mesh name -> summary, until the mesh changes
        # mesh name -> mesh_arrays.Sections, from a mesh's first edit on: its faces and UVs as last
        # encoded (a second copy of them, so only for meshes being edited)
        self.mesh_sections = {}
        self.image_cache = {}         # image name -> hash, until an image changes
        self.signature = None

    # ---- exports ----
    def _signature(self, scene):
        # the render aspect is in it: a camera's vertical field of view follows from it (kinds.py)
        r = scene.render
        return (scene.as_pointer(), len(scene.objects), export.unit_scale(scene),
                r.resolution_x, r.resolution_y, r.pixel_aspect_x, r.pixel_aspect_y)

    def forget_changes(self):
        self._drop_stale(self.changes)
        self.changes = Changes()

    def _drop_stale(self, ch):
        for name in ch.meshes:
            self.mesh_cache.pop(name, None)
            if mesh_arrays.AVAILABLE:
                self.mesh_sections.setdefault(name, mesh_arrays.Sections())
        if ch.full:
            for name in set(self.mesh_sections) - set(bpy.data.meshes.keys()):
                del self.mesh_sections[name]  # a mesh gone: its sections are only memory now
        if ch.images:
            self.image_cache.clear()

    def current(self, scene):
        """The whole scene as the wire sees it (ids made unique first)."""
        self._drop_stale(self.changes)
        by_id = export.ensure_object_ids(scene)
        unit = export.unit_scale(scene)
        objects = {oid: export.export_object(obj, unit, self.mesh_cache, self.mesh_sections) for oid, obj in by_id.items()}
        mats = export.ensure_material_ids(export.scene_materials(scene))
        materials = {mid: export.export_material(m, self.image_cache) for mid, m in mats.items()}
        return {"objects": objects, "materials": materials}

    def set_known(self, cur, scene):
        """The orchestrator now holds all of `cur`, a full export of `scene` as it is now. The scene's
        signature is recorded here, where `known` is rebuilt, and never by an export alone (a
        script's export must not hide a unit-scale change the stream has not sent)."""
        self.known = cur
        self.signature = self._signature(scene)

    def _partial(self, scene, ch):
        """Only what `ch` names, or None when that is not enough (something new, gone or renamed
        out from under the update)."""
        unit = export.unit_scale(scene)
        names = set(ch.objects)
        if ch.meshes:
            names.update(o.name for o in scene.objects if o.type == "MESH" and o.data.name in ch.meshes)
        if ch.data:
            names.update(o.name for o in scene.objects if o.type in ("LIGHT", "CAMERA") and o.data.name in ch.data)
        objects = {}
        # bpy_prop_collection.get scans the collection: one pass builds an index for many names (playback)
        lookup = {o.name: o for o in scene.objects}.get if len(names) > 16 else scene.objects.get
        for name in names:
            obj = lookup(name)
            if obj is None:
                return None
            oid = obj.get(ID_PROP)
            if oid not in self.known["objects"] or (obj.parent is not None and not obj.parent.get(ID_PROP)):
                return None
            objects[oid] = export.export_object(obj, unit, self.mesh_cache, self.mesh_sections)
        unknown = {m for o in objects.values() for m in o["materials"] if m not in self.known["materials"]}
        if ch.images:
            wanted = export.scene_materials(scene)
        elif ch.materials or unknown:
            wanted = [m for m in bpy.data.materials if m.get(ID_PROP) and (m.name in ch.materials or m[ID_PROP] in unknown)]
        else:
            wanted = []
        materials = {export.material_id(m): export.export_material(m, self.image_cache) for m in wanted}
        return {"objects": objects, "materials": materials}

    # ---- the stream ----
    def take(self, scene, targets, exclude=(), frames=True):
        """(mutations, the export they came from, {"full": bool, "ms": float, "frame": int | None,
        "animated": ids}) for what changed; "frame" is the scene frame whose animated transforms the
        pass looked at, "animated" the ids of the frame-dependent objects it looked at.
        Subjects of open transactions (`exclude`) are held back and looked at again next time; so is
        a frame change when `frames` is False (a frame is still in flight).
        Should the export fail (a NaN, a bug), what changed is kept for the next pass."""
        ch, self.changes = self.changes, Changes()
        if ch.frame and not frames:
            ch.frame, self.changes.frame = False, True
        try:
            return self._take(scene, targets, exclude, ch)
        except BaseException:
            ch.merge(self.changes)
            self.changes = ch
            raise

    def _take(self, scene, targets, exclude, ch):
        self._drop_stale(ch)
        t0 = time.perf_counter()
        frame = scene.frame_current if ch.frame else None
        moving = animated.frame_dependent(scene) if ch.frame else set()
        ch.objects |= moving
        full = ch.full or (ch.scene and self._signature(scene) != self.signature)
        gone = set()
        if ch.deleted and not full:
            # deletes held back while a transaction was open: gone still, or back (a rollback)
            present = {o.get(ID_PROP): o.name for o in scene.objects}
            ch.objects |= {present[i] for i in ch.deleted if i in present}
            gone = {i for i in ch.deleted if i not in present and i in self.known["objects"]}
        cur = None if full else self._partial(scene, ch)
        if cur is None:
            full, cur = True, self.current(scene)
            self.signature = self._signature(scene)  # everything is compared: the scene's fields too
            known = self.known
        else:
            known = {k: {i: self.known[k][i] for i in cur[k] if i in self.known[k]} for k in ("objects", "materials")}
            known["objects"].update((i, self.known["objects"][i]) for i in gone)
        out = []
        for m in diff(known, cur, targets):
            kind, sid = subject(m)
            if sid not in exclude:
                out.append(m)
            elif m["op"] == "delete":
                self.changes.deleted.add(sid)  # not a full pass on every tick the transaction stays open
            elif kind == "material":
                self.changes.materials.add(cur["materials"][sid]["name"])
            else:
                self.changes.objects.add(cur["objects"][sid]["name"])
        animated_ids = {oid for oid, o in cur["objects"].items() if o["name"] in moving}
        return out, cur, {"full": full, "ms": round((time.perf_counter() - t0) * 1000, 2), "frame": frame,
                          "animated": animated_ids}

    def accept(self, mutations, cur):
        """The orchestrator now has these (they were sent)."""
        for m in mutations:
            kind, sid = subject(m)
            if m["op"] == "delete":
                self.known["objects"].pop(sid, None)
            elif kind == "material":
                self.known["materials"][sid] = cur["materials"][sid]
            else:
                self.known["objects"][sid] = cur["objects"][sid]

    def learn(self, state):
        """The orchestrator committed `state` ({"objects", "materials"}: id -> value, None = deleted),
        a transaction this Blender applied: it knows those values now, so they are never streamed back."""
        for oid, o in state["objects"].items():
            if o is None:
                self.known["objects"].pop(oid, None)
            else:
                self.known["objects"][oid] = o
        for mid, m in state["materials"].items():
            if m is not None:
                self.known["materials"][mid] = m
