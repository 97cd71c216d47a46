# Brain > Limb: makes the Blender scene equal to the orchestrator's (creates, updates, deletes
# objects, removes synced materials it does not have), through the transaction sandbox of apply.py,
# and never destroys what only lost its id (an undo, a revert): that takes the wire id back.
import bpy

from ..core import ids
from .apply import BLENDER_TYPE, ApplyError, Sandbox, same_mesh
from .export import TYPES, export_object


def _adopt_lost_ids(sb, wire):
    """Objects and materials whose vibesync_id vanished (undo, a revert to a file saved before the
    ids were stamped) are the user's own: an object with the name, type and geometry of a wire
    object Blender lacks, or a material with the name of one, takes that id instead of being
    deleted and replaced by a proxy."""
    missing = {o["name"]: o for o in wire["objects"] if o["id"] not in sb.index}
    wanted = {o["id"] for o in wire["objects"]}
    for oid, obj in list(sb.index.items()):
        o = missing.get(obj.name)
        if oid in wanted or o is None or TYPES.get(obj.type, "other") != o["type"]:
            continue
        if not same_mesh(export_object(obj, sb.unit)["mesh"], o["mesh"]):
            continue
        ids.stamp("object", obj, o["id"], obj.type)
        del sb.index[oid]
        sb.index[o["id"]] = obj
        del missing[obj.name]
    lost = {m["name"]: m for m in wire["materials"] if m["id"] not in sb.materials}
    keep = {m["id"] for m in wire["materials"]}
    for mid, mat in list(sb.materials.items()):
        m = lost.pop(mat.name, None) if mid not in keep else None
        if m is not None:
            ids.stamp("material", mat, m["id"], "MATERIAL")
            del sb.materials[mid]
            sb.materials[m["id"]] = mat


def resync(scene, wire):
    """Brain > Limb: make the Blender scene equal to `wire` (creates, updates, deletes)."""
    wanted_ids = {o["id"] for o in wire["objects"]}
    dangling = sorted(o["id"] for o in wire["objects"] if o["parent"] and o["parent"] not in wanted_ids)
    if dangling:  # refused before anything changes, never halfway through
        raise ApplyError("SCHEMA_VIOLATION", "resync scene names parents it does not hold (objects %s)" % ", ".join(dangling[:5]))
    sb = Sandbox(scene)
    _adopt_lost_ids(sb, wire)
    for m in wire["materials"]:
        sb.upsert_material(m)
    keep = {m["id"] for m in wire["materials"]}
    for mid, mat in list(sb.materials.items()):
        if mid not in keep:
            bpy.data.materials.remove(mat)
            del sb.materials[mid]
    wanted = {o["id"]: o for o in wire["objects"]}
    for oid, obj in list(sb.index.items()):
        if oid not in wanted:
            sb.delete(obj, oid)
        elif BLENDER_TYPE.get(wanted[oid]["type"], "EMPTY") != obj.type and TYPES.get(obj.type, "other") != wanted[oid]["type"]:
            sb.delete(obj, oid)  # a type cannot change in place: recreate
    sb.commit()  # remove them now, so their names are free for the objects created below
    pending = list(wire["objects"])
    while pending:  # parents before children
        progressed, rest = False, []
        for o in pending:
            if o["parent"] and o["parent"] not in sb.index and o["parent"] in wanted:
                rest.append(o)
                continue
            progressed = True
            if o["id"] in sb.index:
                sb.update(sb.index[o["id"]], o)
            else:
                sb.create(o)
        if not progressed:
            raise ApplyError("SCHEMA_VIOLATION", "resync scene has a parent cycle")
        pending = rest
    sb.commit()
    return sb

