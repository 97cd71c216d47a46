# Lights and cameras between Blender and the wire, and the mark on what this add-on cannot send.
# Units (docs/adapters/blender.md): a point, spot or area light's energy is its radiant power in W
# and a sun's strength its irradiance in W/m², both the wire's own units, so they pass unchanged;
# colours are linear RGB; ranges and clip planes are metres (scene unit scale applied); a spot's
# cone is sent as half-angles, inner = outer x (1 - spot_blend); a camera's vertical field of view
# and orthographic half-height follow from its sensor fit and the render aspect.
# Objects the wire cannot carry (armatures, curves, text, grease pencil, modifiers, collection
# instances) are MARKED, not converted: they travel as what the wire holds (an object without data,
# the base mesh) with a reason every panel and /healthz shows.
import math

import bpy

LIGHT_KIND = {"POINT": "point", "SPOT": "spot", "SUN": "directional", "AREA": "area"}
BLENDER_LIGHT = {v: k for k, v in LIGHT_KIND.items()}

NOT_SYNCED = {
    "ARMATURE": ("armature", "armature: its bones, pose and skinning are not synced (sent as an object without data)"),
    "CURVE": ("curve", "curve: its splines are not synced (sent as an object without data)"),
    "SURFACE": ("curve", "NURBS surface: not synced (sent as an object without data)"),
    "FONT": ("text", "text: its characters and font are not synced (sent as an object without data)"),
    "GPENCIL": ("grease_pencil", "grease pencil: its strokes are not synced (sent as an object without data)"),
    "META": ("other", "metaball: not synced (sent as an object without data)"),
    "VOLUME": ("other", "volume: not synced (sent as an object without data)"),
    "POINTCLOUD": ("other", "point cloud: not synced (sent as an object without data)"),
    "CURVES": ("other", "hair curves: not synced (sent as an object without data)"),
    "LATTICE": ("other", "lattice: not synced (sent as an object without data)"),
    "SPEAKER": ("other", "speaker: its sound is not synced (sent as an object without data)"),
    "LIGHT_PROBE": ("other", "light probe: not synced (sent as an object without data)"),
}

# What a mesh holds that its blob cannot carry (loose edges, UV layers beyond the active one), by
# mesh name: noted by export.mesh_summary each time it reads the mesh, so it is never stale.
MESH_LOSSES = {}


def note_mesh_losses(me, loose_edges):
    lost = []
    if loose_edges:
        lost.append("%d loose edge(s) (in no face) not sent: only their vertices travel" % loose_edges)
    extra = [layer.name for layer in me.uv_layers if not layer.active]
    if extra:
        lost.append("UV layer(s) %s not sent: only the active one travels" % ", ".join(extra[:3]) + (" …" if len(extra) > 3 else ""))
    if lost:
        MESH_LOSSES[me.name] = "; ".join(lost)
    else:
        MESH_LOSSES.pop(me.name, None)


def _aspect(scene):
    r = scene.render
    w, h = r.resolution_x * r.pixel_aspect_x, r.resolution_y * r.pixel_aspect_y
    return (w, h) if w > 0 and h > 0 else (1.0, 1.0)


def _vertical_fit(cam, scene):
    w, h = _aspect(scene)
    return cam.sensor_fit == "VERTICAL" or (cam.sensor_fit == "AUTO" and h > w)


def _sensor(cam):
    return cam.sensor_height if cam.sensor_fit == "VERTICAL" else cam.sensor_width


def export_light(light, unit):
    kind = LIGHT_KIND.get(light.type, "point")
    spot = None
    if kind == "spot":
        outer = light.spot_size / 2
        spot = {"inner": outer * (1 - light.spot_blend), "outer": outer}
    # a light of a type Blender no longer names (a legacy Hemi from an old file or an importer) has no
    # energy of its own: it goes as a point light of 0 W, marked (not_synced)
    return {"kind": kind, "color": [float(c) for c in light.color], "intensity": float(getattr(light, "energy", 0.0)),
            "range": light.cutoff_distance * unit if getattr(light, "use_custom_distance", False) else None, "spot": spot}


def export_camera(cam, scene, unit):
    w, h = _aspect(scene)
    vertical = _vertical_fit(cam, scene)
    if cam.type == "ORTHO":
        half = cam.ortho_scale / 2 if vertical else cam.ortho_scale / 2 * h / w
        return {"projection": "orthographic", "yfov": None, "orthoSize": half * unit,
                "near": cam.clip_start * unit, "far": cam.clip_end * unit}
    half = _sensor(cam) / (2 * cam.lens)  # tan of half the fitted angle
    yfov = 2 * math.atan(half if vertical else half * h / w)
    return {"projection": "perspective", "yfov": yfov, "orthoSize": None,
            "near": cam.clip_start * unit, "far": cam.clip_end * unit}


def not_synced(obj):
    """{"kind", "reason"} for what the wire cannot carry about obj, or None."""
    hit = NOT_SYNCED.get(obj.type)
    if hit:
        return {"kind": hit[0], "reason": hit[1]}
    if obj.type == "MESH":
        mods = [m for m in obj.modifiers if m.show_viewport]
        if any(m.type == "ARMATURE" for m in mods):
            return {"kind": "skinning", "reason": "armature deformation (skinning) is not synced: the rest-pose base mesh is sent"}
        lost = MESH_LOSSES.get(obj.data.name)
        if mods:
            names = ", ".join(m.name for m in mods[:3]) + (" …" if len(mods) > 3 else "")
            reason = "%d modifier(s) not applied (%s): the base mesh is sent" % (len(mods), names)
            return {"kind": "modifiers", "reason": ("%s; %s" % (reason, lost) if lost else reason)[:256]}
        if lost:
            return {"kind": "other", "reason": lost[:256]}
    if obj.type == "EMPTY" and obj.instance_type == "COLLECTION" and obj.instance_collection is not None:
        reason = "collection instance of \"%s\": its contents are not sent" % obj.instance_collection.name
        return {"kind": "instance", "reason": reason[:256]}
    if obj.type == "LIGHT" and obj.data.type not in LIGHT_KIND:
        return {"kind": "other", "reason": "light of a type this Blender does not name (a legacy Hemi?): sent as a point light of 0 W"}
    if obj.type == "CAMERA" and obj.data.type == "PANO":
        return {"kind": "other", "reason": "panoramic camera: sent as a perspective camera"}
    return None


def export_extra(obj, scene, unit):
    """The optional wire fields of obj: light, camera, notSynced (absent when there is nothing)."""
    out = {}
    if obj.type == "LIGHT":
        out["light"] = export_light(obj.data, unit)
    elif obj.type == "CAMERA":
        out["camera"] = export_camera(obj.data, scene, unit)
    mark = not_synced(obj)
    if mark:
        out["notSynced"] = mark
    return out


# ---- import (inside the transaction sandbox: save_data first, restore_data on rollback) ----
LIGHT_PROPS = ("type", "color", "energy", "use_custom_distance", "cutoff_distance", "spot_size", "spot_blend")
CAMERA_PROPS = ("type", "lens", "ortho_scale", "clip_start", "clip_end")


def save_data(data):
    props = LIGHT_PROPS if isinstance(data, bpy.types.Light) else CAMERA_PROPS
    saved = {}
    for p in props:
        if hasattr(data, p):  # a point light has no spot_size
            v = getattr(data, p)
            saved[p] = tuple(v) if p == "color" else v
    return saved


def _refetch(data):
    # changing a light's type changes its RNA subclass: look the datablock up again
    return bpy.data.lights[data.name] if isinstance(data, bpy.types.Light) else data


def restore_data(data, saved):
    if data.type != saved["type"]:
        data.type = saved["type"]
        data = _refetch(data)
    for p, v in saved.items():
        if p != "type":
            setattr(data, p, v)


def apply_light(light, wire, unit):
    want = BLENDER_LIGHT.get(wire["kind"], "POINT")
    if light.type != want:
        light.type = want
        light = _refetch(light)
    light.color = tuple(wire["color"])
    light.energy = wire["intensity"]
    light.use_custom_distance = wire["range"] is not None
    if wire["range"] is not None:
        light.cutoff_distance = wire["range"] / unit
    if wire["spot"] and light.type == "SPOT":
        outer = wire["spot"]["outer"]
        light.spot_size = 2 * outer
        light.spot_blend = min(1.0, max(0.0, 1 - wire["spot"]["inner"] / outer)) if outer > 0 else 0.0


def apply_camera(cam, wire, scene, unit):
    w, h = _aspect(scene)
    vertical = _vertical_fit(cam, scene)
    cam.clip_start = wire["near"] / unit
    cam.clip_end = wire["far"] / unit
    if wire["projection"] == "orthographic":
        cam.type = "ORTHO"
        if wire["orthoSize"] is not None:
            half = wire["orthoSize"] / unit
            cam.ortho_scale = 2 * half if vertical else 2 * half * w / h
    else:
        cam.type = "PERSP"
        if wire["yfov"] is not None:
            t = math.tan(wire["yfov"] / 2)
            cam.lens = _sensor(cam) / (2 * (t if vertical else t * w / h))
