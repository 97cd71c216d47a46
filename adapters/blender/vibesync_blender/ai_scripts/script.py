# Runs an approved AI script on plain-data views of the objects and materials it declared
# (`touches`), never on bpy: the script sees `objects[id]` / `materials[id]` dicts in canonical
# coordinates (in a child process: isolate.py), and whatever it changed becomes ordinary mutations,
# applied and hashed like any other.
import math

from ..core.mutation import mutation
from . import isolate


class ScriptError(Exception):
    pass


OBJ_FIELDS = ("name", "position", "rotation", "scale")
MAT_FIELDS = ("name", "baseColor", "metallic", "roughness")


def _obj_view(o):
    t = o["transform"]
    return {"name": o["name"], "position": list(t["position"]), "rotation": list(t["rotation"]), "scale": list(t["scale"])}


def _mat_view(m):
    return {"name": m["name"], "baseColor": list(m["baseColor"]), "metallic": m["metallic"], "roughness": m["roughness"]}


def _vec(value, n, what):
    if not isinstance(value, (list, tuple)) or len(value) != n:
        raise ScriptError("%s must be a list of %d numbers" % (what, n))
    out = []
    for x in value:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
            raise ScriptError("%s must hold finite numbers" % what)
        out.append(float(x))
    return out


def _num(value, what):
    return _vec([value], 1, what)[0]


def _name(value):
    if not isinstance(value, str) or len(value) > 256:
        raise ScriptError("name must be a string of at most 256 characters")
    return value


class ScriptJob:
    """An approved script running on plain-data views (in a child process, see isolate.py); poll
    done(), then mutations() gives what it changed, or raises what stopped it."""

    def __init__(self, current, code, touches, targets, isolated=True):
        self.targets = list(targets)
        self.before_o = {i: _obj_view(current["objects"][i]) for i in touches if i in current["objects"]}
        self.before_m = {i: _mat_view(current["materials"][i]) for i in touches if i in current["materials"]}
        self.run = isolate.IsolatedRun(code, {"objects": self.before_o, "materials": self.before_m}, isolated=isolated)

    def done(self):
        return self.run.done()

    def cancel(self):
        self.run.cancel()

    def mutations(self):
        after = self.run.outcome()
        return _mutations(self.before_o, self.before_m, after.get("objects"), after.get("materials"), self.targets)


def run_script(current, code, touches, targets, isolated=True):
    """Runs a script to completion (tests, tools); the adapter polls a ScriptJob instead."""
    job = ScriptJob(current, code, touches, targets, isolated)
    job.run.wait()
    return job.mutations()


def _mutations(before_o, before_m, objects, materials, targets):
    if not isinstance(objects, dict) or not isinstance(materials, dict):
        raise ScriptError("objects and materials must stay dicts")
    if set(objects) != set(before_o) or set(materials) != set(before_m):
        raise ScriptError("a script may change declared objects, not add or remove entries")
    out = []
    for oid in sorted(objects):
        now, was = objects[oid], before_o[oid]
        if not isinstance(now, dict):
            raise ScriptError("objects[%r] must stay a dict" % oid)
        t = {}
        for key, n in (("position", 3), ("rotation", 4), ("scale", 3)):
            if now.get(key) != was[key]:
                t[key] = _vec(now.get(key), n, "%s.%s" % (oid, key))
        if t:
            out.append(mutation("set_transform", targets, objectId=oid, transform=t))
        if now.get("name") != was["name"]:
            out.append(mutation("set_props", targets, objectId=oid, props={"name": _name(now.get("name"))}))
    for mid in sorted(materials):
        now, was = materials[mid], before_m[mid]
        if not isinstance(now, dict):
            raise ScriptError("materials[%r] must stay a dict" % mid)
        changes = {}
        if now.get("name") != was["name"]:
            changes["name"] = _name(now.get("name"))
        if now.get("baseColor") != was["baseColor"]:
            changes["baseColor"] = _vec(now.get("baseColor"), 4, "%s.baseColor" % mid)
        for key in ("metallic", "roughness"):
            if now.get(key) != was[key]:
                changes[key] = _num(now.get(key), "%s.%s" % (mid, key))
        if changes:
            out.append(mutation("set_material", targets, materialId=mid, changes=changes))
    return out
