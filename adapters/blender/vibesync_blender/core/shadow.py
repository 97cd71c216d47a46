# Blender stores floats in 32 bits and cannot hold what the wire describes but does not carry
# (mesh vertices behind a MeshSummary, texture pixels). When the adapter applies a wire value it
# records, per component, the Blender-side reading right after applying ("a") and the wire value
# ("w"). While the Blender reading still equals "a" exactly, the object is in the state the wire
# described and the wire value is reported; any real edit changes the reading and the fresh value
# is reported instead. So applied hashes round-trip exactly and real drift is still seen.
import json

PROP = "vibesync_shadow"


def _load(idb):
    raw = idb.get(PROP)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return {}


def resolve(idb, component, fresh):
    entry = _load(idb).get(component)
    if entry is not None and entry.get("a") == fresh:
        return entry["w"]
    return fresh


def record(idb, component, fresh, wire):
    data = _load(idb)
    data[component] = {"a": fresh, "w": wire}
    idb[PROP] = json.dumps(data, separators=(",", ":"))


def normalise(value):
    """JSON round trip, so tuples compare equal to the lists read back from the property."""
    return json.loads(json.dumps(value))


def forget(idb, component):
    """Drops one component's record: from now on Blender's own reading is reported, nothing else."""
    data = _load(idb)
    if data.pop(component, None) is not None:
        if data:
            idb[PROP] = json.dumps(data, separators=(",", ":"))
        else:
            idb.pop(PROP, None)
