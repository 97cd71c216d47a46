# Live streaming as a source: compare the scene now with what the orchestrator last knew, in
# canonical form (so float noise below the quantisation step is not a change), and turn the
# differences into mutations in an order the orchestrator accepts: materials, creations (parents
# first), updates, deletions (children first).
from .canonical import canonical_material, canonical_object
from .mutation import mutation


def _depth(oid, objects):
    d, seen = 0, set()
    while oid and oid in objects and oid not in seen:
        seen.add(oid)
        oid = objects[oid]["parent"]
        d += 1
    return d


def diff(known, current, targets):
    """known/current: {"objects": {id: obj}, "materials": {id: mat}} -> list of mutations."""
    out = []
    for mid, m in sorted(current["materials"].items()):
        old = known["materials"].get(mid)
        if old is None or canonical_material(old) != canonical_material(m):
            out.append(mutation("upsert_material", targets, material=m))
    kobj, cobj = known["objects"], current["objects"]
    created = [o for oid, o in cobj.items() if oid not in kobj or kobj[oid]["type"] != o["type"]]
    retyped = [o["id"] for o in created if o["id"] in kobj]
    for o in sorted(created, key=lambda o: (_depth(o["id"], cobj), o["id"])):
        out.append(mutation("create", targets, object=o))
    for oid, o in sorted(cobj.items()):
        old = kobj.get(oid)
        if old is None or oid in retyped:
            continue
        a, b = canonical_object(old), canonical_object(o)
        if a == b and old.get("notSynced") == o.get("notSynced"):
            continue
        t = {k: o["transform"][k] for k, ck in (("position", "p"), ("rotation", "r"), ("scale", "s")) if a[ck] != b[ck]}
        if t:
            out.append(mutation("set_transform", targets, objectId=oid, transform=t))
        props = {}
        if old["name"] != o["name"]:
            props["name"] = o["name"]
        if old["parent"] != o["parent"]:
            props["parent"] = o["parent"]
        if a["mat"] != b["mat"]:
            props["materials"] = o["materials"]
        if a["mesh"] != b["mesh"]:
            props["mesh"] = o["mesh"]
        if a.get("light") != b.get("light"):
            props["light"] = o.get("light")
        if a.get("cam") != b.get("cam"):
            props["camera"] = o.get("camera")
        if old.get("notSynced") != o.get("notSynced"):  # not hashed, but the panel shows it
            props["notSynced"] = o.get("notSynced")
        if props:
            out.append(mutation("set_props", targets, objectId=oid, props=props))
    gone = [oid for oid in kobj if oid not in cobj]
    for oid in sorted(gone, key=lambda i: -_depth(i, kobj)):
        out.append(mutation("delete", targets, objectId=oid))
    # a retyped object is deleted above only if it vanished; replace it explicitly
    return [m for m in out if not (m["op"] == "create" and m["object"]["id"] in retyped)] + \
        [mutation("delete", targets, objectId=i) for i in retyped] + \
        [mutation("create", targets, object=cobj[i]) for i in retyped]
