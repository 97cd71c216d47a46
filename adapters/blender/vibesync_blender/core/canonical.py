# Canonical hashing, byte for byte the same as shared/canonical/*.ts (golden vectors in
# data/golden/canonical-vectors.json). Pure standard library: runs in plain python3 and in Blender.
import hashlib
import json
import math
import struct

STEPS = {"position": 1e-4, "rotation": 1e-6, "scale": 1e-5, "color": 1e-4}
# lights and cameras: light intensity (W, W/m²) and angles (rad); their values are rounded to float32 first
KIND_STEPS = {"intensity": 1e-4, "angle": 1e-4}
# every quantised integer stays within this (exact in every language); a rotation's length at least this
MAX_QUANTISED = 10**15
MIN_QUAT_LENGTH = 1e-6


class NonFinite(ValueError):
    """A NaN/Infinity reached the hash: the caller reports NON_FINITE instead of sending it."""


def quantise(x, step):
    x = float(x)
    if not math.isfinite(x):
        raise NonFinite("cannot hash non-finite value %r" % x)
    # floor(x / step + 0.5) in IEEE doubles, like Math.floor in the TypeScript reference
    v = int(math.floor(x / step + 0.5))
    if abs(v) > MAX_QUANTISED:
        raise NonFinite("%r is too large for the canonical form (step %r)" % (x, step))
    return v


def quantise_vec(v, step):
    return [quantise(x, step) for x in v]


def quantise_quat(q):
    x, y, z, w = (float(c) for c in q)
    # the same IEEE operations, in the same order, as the TypeScript reference (not math.hypot)
    norm = math.sqrt(x * x + y * y + z * z + w * w)
    if not math.isfinite(norm) or norm < MIN_QUAT_LENGTH:
        raise NonFinite("rotation quaternion length %r is below %r or not finite" % (norm, MIN_QUAT_LENGTH))
    ints = [quantise(c / norm, STEPS["rotation"]) for c in (x, y, z, w)]
    lead = next((ints[i] for i in (3, 0, 1, 2) if ints[i] != 0), 0)
    return [-c for c in ints] if lead < 0 else ints


def canonical_json(value):
    # RFC 8785 coincides with this for integer-only documents with ASCII keys
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_mesh(m):
    b = m["bounds"]
    return {
        "v": m["vertexCount"],
        "f": m["faceCount"],
        "g": m["geometryHash"],
        "b": quantise_vec(b["min"], STEPS["position"]) + quantise_vec(b["max"], STEPS["position"]),
    }


def f32(x):
    """The nearest IEEE float32 (ties to even), as TypeScript's Math.fround."""
    x = float(x)
    if not math.isfinite(x):
        raise NonFinite("cannot hash non-finite value %r" % x)
    return struct.unpack("<f", struct.pack("<f", x))[0]


def quantise32(x, step):
    return quantise(f32(x), step)


def _q32(x, step):
    return None if x is None else quantise32(x, step)


def canonical_light(li):
    spot = li["spot"]
    return {
        "k": li["kind"],
        "c": [quantise32(x, STEPS["color"]) for x in li["color"]],
        "i": quantise32(li["intensity"], KIND_STEPS["intensity"]),
        "r": _q32(li["range"], STEPS["position"]),
        "s": [quantise32(spot["inner"], KIND_STEPS["angle"]), quantise32(spot["outer"], KIND_STEPS["angle"])] if spot else None,
    }


def canonical_camera(c):
    return {
        "p": c["projection"],
        "y": _q32(c["yfov"], KIND_STEPS["angle"]),
        "o": _q32(c["orthoSize"], STEPS["position"]),
        "n": quantise32(c["near"], STEPS["position"]),
        "f": quantise32(c["far"], STEPS["position"]),
    }


def canonical_object(o):
    out = _canonical_object(o)
    # present only on objects that carry them: older canonical forms stay byte-identical
    if o.get("light"):
        out["light"] = canonical_light(o["light"])
    if o.get("camera"):
        out["cam"] = canonical_camera(o["camera"])
    return out


def _canonical_object(o):
    t = o["transform"]
    return {
        "id": o["id"],
        "name": o["name"],
        "type": o["type"],
        "parent": o["parent"],
        "p": quantise_vec(t["position"], STEPS["position"]),
        "r": quantise_quat(t["rotation"]),
        "s": quantise_vec(t["scale"], STEPS["scale"]),
        "mesh": canonical_mesh(o["mesh"]) if o["mesh"] else None,
        "mat": list(o["materials"]),
    }


def canonical_material(m):
    tex = sorted(m["textures"], key=lambda t: t["slot"])
    return {
        "id": m["id"],
        "name": m["name"],
        "c": quantise_vec(m["baseColor"], STEPS["color"]),
        "m": quantise(m["metallic"], STEPS["color"]),
        "r": quantise(m["roughness"], STEPS["color"]),
        "tex": [{"slot": t["slot"], "w": t["width"], "h": t["height"], "hash": t["hash"]} for t in tex],
    }


def object_hash(o):
    return sha256_hex(canonical_json(canonical_object(o)))


def material_hash(m):
    return sha256_hex(canonical_json(canonical_material(m)))


def scene_canonical(scene):
    """The canonical text the scene hash is taken over: each subject's id and own hash, by id."""
    return canonical_json({
        "objects": [[o["id"], object_hash(o)] for o in sorted(scene["objects"], key=lambda o: o["id"])],
        "materials": [[m["id"], material_hash(m)] for m in sorted(scene["materials"], key=lambda m: m["id"])],
    })


def scene_hash(scene):
    return sha256_hex(scene_canonical(scene))


def tx_canonical(state):
    """state: {"objects": {id: object|None}, "materials": {id: material|None}}"""
    return canonical_json({
        "objects": {k: (canonical_object(v) if v else None) for k, v in state["objects"].items()},
        "materials": {k: (canonical_material(v) if v else None) for k, v in state["materials"].items()},
    })


def tx_hash(state):
    return sha256_hex(tx_canonical(state))


def geometry_canonical(positions, faces):
    """positions: flat canonical-space xyz; faces: lists of vertex indices."""
    step = STEPS["position"]
    return canonical_json({"f": faces, "v": [quantise(x, step) for x in positions]})


def geometry_hash(positions, faces):
    return sha256_hex(geometry_canonical(positions, faces))
