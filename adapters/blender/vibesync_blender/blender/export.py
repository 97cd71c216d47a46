# Blender scene -> wire Scene (canonical coordinates): stable ids, transforms, mesh summaries with
# the shared geometryHash over the BASE mesh (object.data, modifiers not applied: it is what the
# user edits and what a proxy round-trips), Principled BSDF materials and their image textures
# (each as a texture blob: the image file's bytes, kept in blobs.HELD to be sent).
import os
import traceback
import uuid
from array import array

import bpy

from ..core import blobs, canonical, compat, ids, image, mesh, mesh_arrays, shadow
from ..core.convert import clean, pos_to_canonical, quat_to_canonical, scale_to_canonical
from . import kinds, parenting

ID_PROP = ids.ID_PROP
TYPES = {"MESH": "mesh", "EMPTY": "empty", "LIGHT": "light", "CAMERA": "camera"}


def new_id():
    return uuid.uuid4().hex


def unit_scale(scene):
    s = scene.unit_settings.scale_length
    return s if s > 0 else 1.0


def scene_objects(scene):
    return list(scene.objects)


def _unique_ids(kind, items, btype):
    """Gives every item a vibesync_id: a missing one is recalled from the registry (undo, revert)
    or made up; of several items carrying one id (Shift+D copies custom properties) the one the id
    was last seen under keeps it and the copies get fresh ids. Returns {id: item}."""
    reg = ids.current
    groups, bare = {}, []
    for idb in sorted(items, key=lambda i: i.name):
        sid = idb.get(ID_PROP)
        if isinstance(sid, str) and sid:
            groups.setdefault(sid, []).append(idb)
        else:
            bare.append(idb)
    by_id, copies = {}, []
    for sid, group in groups.items():
        # sorted by name, the original ("Cube") comes before its copy ("Cube.001")
        keep = (reg.keeper(kind, group, sid) if reg is not None and len(group) > 1 else None) or group[0]
        by_id[sid] = keep
        copies.extend(i for i in group if i is not keep)
    for idb in bare:
        sid = reg.recall(kind, idb, btype(idb), by_id) if reg is not None else None
        ids.stamp(kind, idb, sid or new_id(), btype(idb))
        by_id[idb[ID_PROP]] = idb
    for idb in copies:
        ids.stamp(kind, idb, new_id(), btype(idb))
        if idb.get(shadow.PROP):
            del idb[shadow.PROP]
        by_id[idb[ID_PROP]] = idb
    if reg is not None:
        for sid, idb in by_id.items():
            reg.remember(kind, idb, sid, btype(idb))
        reg.retain(kind, by_id)
    return by_id


def ensure_object_ids(scene):
    """{id: object} for the scene's objects, every one with a unique vibesync_id."""
    return _unique_ids("object", scene_objects(scene), lambda o: o.type)


def ensure_material_ids(materials):
    return _unique_ids("material", materials, lambda m: "MATERIAL")


def material_id(mat):
    mid = mat.get(ID_PROP)
    if not isinstance(mid, str) or not mid:
        reg = ids.current
        taken = {m.get(ID_PROP) for m in bpy.data.materials} if reg is not None else ()
        mid = (reg.recall("material", mat, "MATERIAL", taken) if reg is not None else None) or new_id()
        ids.stamp("material", mat, mid, "MATERIAL")
    return mid


def principled(mat):
    if compat.uses_nodes(mat):
        for node in mat.node_tree.nodes:
            if node.type == "BSDF_PRINCIPLED":
                return node
    return None


def _pixels_png(img):
    """The pixels this Blender holds for `img` (generated, painted, or a format the wire does not
    carry), as an 8-bit RGBA PNG: rows flipped (Blender keeps them bottom-up), values clamped."""
    w, h = int(img.size[0]), int(img.size[1])
    c = img.channels
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None:
        return _pixels_png_bulk(np, img, w, h, c)
    px = array("f", [0.0]) * (w * h * c)
    img.pixels.foreach_get(px)
    b = bytes(int(min(max(x, 0.0), 1.0) * 255.0 + 0.5) for x in px)
    rows = []
    for y in range(h - 1, -1, -1):
        row = b[y * w * c:(y + 1) * w * c]
        if c == 4:
            rows.append(row)
        else:
            rows.append(b"".join((row[i:i + 3] if c >= 3 else row[i:i + 1] * 3) + b"\xff" for i in range(0, len(row), c)))
    return image.encode_png(w, h, rows)


def _pixels_png_bulk(np, img, w, h, c):
    """numpy: the pixels read in one call, converted in place (float32, as Blender holds them:
    x * 255 + 0.5 is at least 0.5 once clamped, so the cast to uint8 is the floor), and written
    as Up-filtered scanlines (each row minus the row above, byte by byte)."""
    px = np.empty(w * h * c, dtype=np.float32)
    img.pixels.foreach_get(px)
    np.clip(px, 0.0, 1.0, out=px)
    px *= 255.0
    px += 0.5
    a = px.astype(np.uint8).reshape(h, w, c)[::-1]  # top row first
    del px
    if c < 4:
        rgba = np.empty((h, w, 4), dtype=np.uint8)
        rgba[:, :, :3] = a[:, :, :1] if c < 3 else a[:, :, :3]
        rgba[:, :, 3] = 255
        a = rgba
    rows = a.reshape(h, 4 * w)
    lines = np.empty((h, 1 + 4 * w), dtype=np.uint8)
    lines[:, 0] = image.FILTER_UP
    lines[0, 1:] = rows[0]  # the row above the first is zeros
    np.subtract(rows[1:], rows[:-1], out=lines[1:, 1:])  # modulo 256, as PNG's Up filter wants
    return image.png_from_scanlines(w, h, lines)


def image_file(img):
    """The image file this Blender holds for `img`: its packed file or the file on disk, as they
    are, when that is a PNG or JPEG and the pixels were not edited since (is_dirty); otherwise its
    pixels encoded as a PNG. Returns (bytes, header info)."""
    if not img.is_dirty and img.source == "FILE":
        data = None
        if img.packed_file:
            data = bytes(img.packed_file.data)
        else:
            path = bpy.path.abspath(img.filepath) if img.filepath else ""
            if path and os.path.isfile(path):
                with open(path, "rb") as f:
                    data = f.read()
        info = image.image_info(data) if data is not None else None
        if info is not None:
            return data, info
    data = _pixels_png(img)
    return data, image.image_info(data)


def image_texture(img, cache):
    """(hash, format, width, height) of the texture blob `img` is, its bytes put in blobs.HELD. A
    clean image is cached by name (the stream drops the cache on any Image update); an image whose
    pixels were edited since it was loaded is encoded again every time, so no export ever carries
    a stale hash of it."""
    key = img.name
    if not img.is_dirty and key in cache:
        return cache[key]
    data, info = image_file(img)
    digest = image.blob_hash(data)
    blobs.made(digest, data, ("image", img.name))
    out = (digest, info["format"], info["width"], info["height"])
    if not img.is_dirty:
        cache[key] = out
    return out


def _linked_image(sock):
    if not sock.is_linked:
        return None
    node = sock.links[0].from_node
    if node.type == "NORMAL_MAP" and node.inputs["Color"].is_linked:
        node = node.inputs["Color"].links[0].from_node
    return node.image if node.type == "TEX_IMAGE" and node.image else None


def fresh_color(mat):
    node = principled(mat)
    if node:
        return {"baseColor": [clean(c) for c in node.inputs["Base Color"].default_value],
                "metallic": clean(node.inputs["Metallic"].default_value),
                "roughness": clean(node.inputs["Roughness"].default_value)}
    return {"baseColor": [clean(c) for c in mat.diffuse_color],
            "metallic": clean(mat.metallic), "roughness": clean(mat.roughness)}


def slot_images(mat):
    """{slot: image} for the image textures linked into the Principled BSDF's inputs."""
    node = principled(mat)
    out = {}
    if node:
        for slot, _names in compat.PRINCIPLED_INPUTS:
            sock = compat.principled_input(node, slot)
            img = _linked_image(sock) if sock is not None else None
            if img and img.size[0] > 0 and img.size[1] > 0:
                out[slot] = img
    return out


def fresh_textures(mat, image_cache):
    """Every linked image as a texture blob: the hash, format and size of the file Blender holds."""
    textures = []
    for slot, img in slot_images(mat).items():
        digest, fmt, w, h = image_texture(img, image_cache)
        textures.append({"slot": slot, "width": w, "height": h, "hash": digest, "format": fmt, "blob": True})
    return textures


def fresh_material_parts(mat, image_cache):
    return fresh_color(mat), fresh_textures(mat, image_cache)


def export_material(mat, image_cache=None):
    color, textures = fresh_material_parts(mat, {} if image_cache is None else image_cache)
    color = shadow.resolve(mat, "color", color)
    return {"id": material_id(mat), "name": mat.name, "baseColor": color["baseColor"],
            "metallic": color["metallic"], "roughness": color["roughness"],
            "textures": shadow.resolve(mat, "textures", textures)}


def mesh_summary(me, unit, sections=None):
    """The mesh as this Blender holds it, as a canonical mesh blob (core/mesh.py): the summary's
    geometryHash is the blob's SHA-256, and the blob is kept in blobs.HELD to be sent. With numpy
    the mesh is read in bulk and encoded by core/mesh_arrays.py; `sections` (a mesh_arrays.Sections
    kept per mesh by the stream) lets an edit that moved vertices reuse the faces and UVs encoded
    last time. Both paths give the same bytes."""
    if mesh_arrays.AVAILABLE:
        data, summary = _encode_arrays(me, unit, sections)
    else:
        data = _encode_lists(me, unit)
        summary = mesh.summary(data)
    kinds.note_mesh_losses(me, _loose_edges(me))
    blobs.made(summary["geometryHash"], data, ("mesh", me.name))
    return summary


def _loose_edges(me):
    """How many edges are in no face (the blob carries faces, so these are lost)."""
    if not me.edges:
        return 0
    if mesh_arrays.AVAILABLE:
        np = mesh_arrays.np
        used = np.zeros(len(me.edges), dtype=bool)
        if me.loops:
            edge_index = np.empty(len(me.loops), dtype=np.int32)
            me.loops.foreach_get("edge_index", edge_index)
            used[edge_index] = True
        return int(len(me.edges) - np.count_nonzero(used))
    flags = array("b", [0]) * len(me.edges)
    me.edges.foreach_get("is_loose", flags)
    return sum(flags)


def _encode_arrays(me, unit, sections):
    np = mesh_arrays.np
    n, nloop, npoly = len(me.vertices), len(me.loops), len(me.polygons)
    co = np.empty(3 * n, dtype=np.float32)
    me.vertices.foreach_get("co", co)
    co = co.reshape(-1, 3)
    if unit != 1.0:
        co = co.astype(np.float64) * unit  # scaled in double, then rounded to float32 as the list path does
    # at unit scale 1 the float32 values are their own float32 rounding: no widening needed
    pos = np.empty((n, 3), dtype=co.dtype)  # Blender Z-up -> canonical Y-up (convert.py)
    pos[:, 0], pos[:, 1], pos[:, 2] = co[:, 0], co[:, 2], -co[:, 1]
    starts, totals, slots = (np.empty(npoly, dtype=np.int32) for _ in range(3))
    me.polygons.foreach_get("loop_start", starts)
    me.polygons.foreach_get("loop_total", totals)
    attr = me.attributes.get("material_index") if bpy.app.version >= (3, 4, 0) else None
    if attr is not None and attr.domain == "FACE" and attr.data_type == "INT":
        attr.data.foreach_get("value", slots)  # since 3.4 the slots are this attribute: read in bulk
    elif attr is None and bpy.app.version >= (3, 4, 0):
        slots[:] = 0  # no attribute: every face uses slot 0
    else:
        me.polygons.foreach_get("material_index", slots)
    vidx = np.empty(nloop, dtype=np.int32)
    me.loops.foreach_get("vertex_index", vidx)
    layer = me.uv_layers.active
    uv = None
    if layer is not None and nloop:
        uv = np.empty(2 * nloop, dtype=np.float32)
        layer.data.foreach_get("uv", uv)
    # corners face after face: Blender's loops usually are in that order already
    at = np.cumsum(totals, dtype=np.int64) - totals
    if not np.array_equal(at, starts):
        order = np.arange(int(totals.sum(dtype=np.int64)), dtype=np.int64) + np.repeat(starts - at, totals)
        vidx = vidx[order]
        if uv is not None:
            uv = uv.reshape(-1, 2)[order].reshape(-1)
    return mesh_arrays.encode(pos, totals, vidx, slots, uv, sections)


def _encode_lists(me, unit):
    n, nloop, npoly = len(me.vertices), len(me.loops), len(me.polygons)
    co = array("f", [0.0]) * (3 * n)
    me.vertices.foreach_get("co", co)
    pos = [0.0] * (3 * n)
    pos[0::3] = [x * unit for x in co[0::3]]
    pos[1::3] = [z * unit for z in co[2::3]]
    pos[2::3] = [-y * unit for y in co[1::3]]
    starts, totals = array("i", [0]) * npoly, array("i", [0]) * npoly
    me.polygons.foreach_get("loop_start", starts)
    me.polygons.foreach_get("loop_total", totals)
    slots = array("i", [0]) * npoly
    me.polygons.foreach_get("material_index", slots)
    vidx = array("i", [0]) * nloop
    me.loops.foreach_get("vertex_index", vidx)
    layer = me.uv_layers.active
    uv = None
    if layer is not None and nloop:
        uv = array("f", [0.0]) * (2 * nloop)
        layer.data.foreach_get("uv", uv)
    # corners face after face: Blender's loops usually are in that order already
    order = None
    at = 0
    for s, t in zip(starts, totals):
        if s != at:
            order = [i for s2, t2 in zip(starts, totals) for i in range(s2, s2 + t2)]
            break
        at += t
    if order is not None:
        vidx = [vidx[i] for i in order]
        if uv is not None:
            uv = [c for i in order for c in (uv[2 * i], uv[2 * i + 1])]
    return mesh.encode(pos, totals, vidx, slots, uv)


def local_matrix(obj):
    # relative to the wire parent (parenting.py), from the stored properties where Blender allows
    return parenting.local_matrix(obj)


def fresh_transform(obj, unit):
    loc, rot, sca = local_matrix(obj).decompose()
    return {"position": [clean(v) for v in pos_to_canonical(loc, unit)],
            "rotation": [clean(v) for v in quat_to_canonical(rot)],
            "scale": [clean(v) for v in scale_to_canonical(sca)]}


def current_transform(obj, unit):
    return shadow.resolve(obj, "transform", fresh_transform(obj, unit))


def fresh_materials(obj):
    return [material_id(s.material) for s in obj.material_slots if s.material]


UNREADABLE_SEEN = set()  # (object name, error) already printed: an unreadable object is met every tick


def export_object(obj, unit, mesh_cache=None, mesh_sections=None):
    """mesh_cache: mesh name -> summary (valid until the mesh changes); mesh_sections: mesh name ->
    mesh_arrays.Sections of the meshes being edited, kept across changes (each reuse is checked
    against what is read). An object the add-on fails to read (data an importer made that this code
    does not expect) goes as an object without data, marked with the error, so that one object
    never stops the rest of the scene from syncing."""
    try:
        return _export_object(obj, unit, mesh_cache, mesh_sections)
    except canonical.NonFinite:
        raise  # a NaN or infinity in the scene has its own report (router.tick)
    except Exception as e:  # noqa: BLE001 - reported on the object itself, and printed once
        err = "%s: %s" % (type(e).__name__, e)
        if (obj.name, err) not in UNREADABLE_SEEN:
            UNREADABLE_SEEN.add((obj.name, err))
            traceback.print_exc()
        return _unreadable(obj, unit, err)


def _unreadable(obj, unit, err):
    try:
        transform = fresh_transform(obj, unit)
    except Exception:  # noqa: BLE001 - nothing of it can be read: it stays where the origin is
        transform = {"position": [0.0, 0.0, 0.0], "rotation": [0.0, 0.0, 0.0, 1.0], "scale": [1.0, 1.0, 1.0]}
    return {"id": obj[ID_PROP], "name": obj.name, "type": "other", "parent": None, "transform": transform,
            "mesh": None, "materials": [],
            "notSynced": {"kind": "other", "reason": ("could not be read (%s): sent as an object without data" % err)[:256]}}


def _export_object(obj, unit, mesh_cache, mesh_sections):
    mesh_cache = {} if mesh_cache is None else mesh_cache
    fresh_mesh = None
    if obj.type == "MESH":
        key = obj.data.name
        if key not in mesh_cache:
            mesh_cache[key] = mesh_summary(obj.data, unit, mesh_sections.get(key) if mesh_sections else None)
        fresh_mesh = mesh_cache[key]
    wire_parent = parenting.wire_parent(obj) if obj.parent else None
    parent = wire_parent.get(ID_PROP) if wire_parent else None
    out = {
        "id": obj[ID_PROP],
        "name": obj.name,
        "type": shadow.resolve(obj, "type", TYPES.get(obj.type, "other")),
        "parent": parent if isinstance(parent, str) else None,
        "transform": current_transform(obj, unit),
        "mesh": shadow.resolve(obj, "mesh", fresh_mesh),
        "materials": shadow.resolve(obj, "materials", fresh_materials(obj)),
    }
    out.update(kinds.export_extra(obj, bpy.context.scene, unit))  # light, camera, notSynced: read back, never echoed
    return out


def scene_materials(scene):
    used = {}
    for obj in scene_objects(scene):
        for slot in obj.material_slots:
            if slot.material:
                used[slot.material.name] = slot.material
    for mat in bpy.data.materials:
        if mat.get(ID_PROP):  # once synced, a material stays in the scene until it is removed
            used.setdefault(mat.name, mat)
    return list(used.values())


def export_scene(scene):
    by_id = ensure_object_ids(scene)
    unit = unit_scale(scene)
    mesh_cache, image_cache = {}, {}
    objects = [export_object(obj, unit, mesh_cache) for obj in by_id.values()]
    materials = [export_material(m, image_cache) for m in ensure_material_ids(scene_materials(scene)).values()]
    objects.sort(key=lambda o: o["id"])
    materials.sort(key=lambda m: m["id"])
    return {"objects": objects, "materials": materials}


def find_object(scene, oid):
    for obj in scene_objects(scene):
        if obj.get(ID_PROP) == oid:
            return obj
    return None


def find_material(mid):
    for mat in bpy.data.materials:
        if mat.get(ID_PROP) == mid:
            return mat
    return None
