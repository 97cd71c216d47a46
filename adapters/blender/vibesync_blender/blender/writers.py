# The per-kind writers the transaction sandbox (apply.py) uses: each puts one wire value into
# Blender data (a transform, an object's material slots, a material's colour inputs and texture images,
# a mesh from its blob or a proxy box) and raises ApplyError when Blender cannot hold it. A light's or
# camera's own data is written by kinds.py.
import bpy

from ..core import compat, image, mesh, shadow
from ..core.canonical import canonical_mesh
from ..core.convert import pos_from_canonical, quat_from_canonical, scale_from_canonical
from .export import fresh_transform, principled


class ApplyError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def write_transform(obj, t, unit):
    """Sets a whole wire transform (quaternion mode) and shadows it, so the object reports exactly `t`."""
    obj.rotation_mode = "QUATERNION"
    obj.location = pos_from_canonical(t["position"], unit)
    obj.rotation_quaternion = quat_from_canonical(t["rotation"])
    obj.scale = scale_from_canonical(t["scale"])
    shadow.record(obj, "transform", shadow.normalise(fresh_transform(obj, unit)), shadow.normalise(t))


def replace_materials(data, mats):
    """Makes data's material slots `mats`, slot by slot: materials.clear() would also reset every
    face's slot index to 0, and a mesh with several materials would lose which face uses which."""
    slots = data.materials
    for i, m in enumerate(mats):
        if i >= len(slots):
            slots.append(m)
        elif slots[i] != m:
            slots[i] = m
    while len(slots) > len(mats):
        slots.pop(index=-1)


def color_inputs(mat):
    node = principled(mat)
    if node:
        return [tuple(node.inputs["Base Color"].default_value), node.inputs["Metallic"].default_value,
                node.inputs["Roughness"].default_value]
    return [tuple(mat.diffuse_color), mat.metallic, mat.roughness]


def write_color(mat, base, metallic, roughness):
    node = principled(mat)
    if node:
        node.inputs["Base Color"].default_value = base
        node.inputs["Metallic"].default_value = metallic
        node.inputs["Roughness"].default_value = roughness
    else:
        mat.diffuse_color, mat.metallic, mat.roughness = base, metallic, roughness


BLOB_PROP = "vibesync_blob"
_COLOR_SLOTS = ("base_color", "emission")


def image_from_blob(digest, data):
    """A packed image holding exactly the blob's bytes (Blender decodes them itself); an image
    already made from this blob and not edited since is reused."""
    for img in bpy.data.images:
        if img.get(BLOB_PROP) == digest and img.packed_file and not img.is_dirty:
            return img
    info = image.image_info(data)
    if info is None:
        raise ApplyError("TARGET_FAILED", "texture blob %s is neither a PNG nor a JPEG" % digest)
    img = bpy.data.images.new("vs_%s.%s" % (digest[:12], "png" if info["format"] == "png" else "jpg"),
                              info["width"], info["height"])
    img.pack(data=data, data_len=len(data))
    img.source = "FILE"
    img[BLOB_PROP] = digest
    return img


def link_slot_image(mat, slot, img):
    """Links `img` into the Principled BSDF input of `slot` (through a Normal Map node for normals),
    reusing the image node already there; None unlinks the slot."""
    compat.enable_nodes(mat)
    node = principled(mat)
    if node is None:
        raise ApplyError("TARGET_FAILED", "material %s has no Principled BSDF to hold textures" % mat.name)
    sock = compat.principled_input(node, slot)
    if sock is None:
        return
    tree = mat.node_tree
    if img is None:
        for link in list(sock.links):
            tree.links.remove(link)
        return
    tex = None
    if sock.is_linked:
        src = sock.links[0].from_node
        if src.type == "NORMAL_MAP" and src.inputs["Color"].is_linked:
            src = src.inputs["Color"].links[0].from_node
        if src.type == "TEX_IMAGE":
            tex = src
    if tex is None:
        tex = tree.nodes.new("ShaderNodeTexImage")
        tex.location = (node.location.x - 400, node.location.y - 280 * len(tree.nodes) % 1200)
        if slot == "normal":
            nm = tree.nodes.new("ShaderNodeNormalMap")
            tree.links.new(tex.outputs["Color"], nm.inputs["Color"])
            tree.links.new(nm.outputs["Normal"], sock)
        else:
            tree.links.new(tex.outputs["Alpha" if slot == "alpha" else "Color"], sock)
    tex.image = img
    if slot not in _COLOR_SLOTS:
        img.colorspace_settings.name = "Non-Color"


def same_mesh(a, b):
    if a is None or b is None:
        return a is b
    return canonical_mesh(a) == canonical_mesh(b)


def build_mesh(name, data, unit):
    """A Blender mesh holding exactly a mesh blob's content: positions (canonical metres back to
    Blender axes and units), faces in their winding, material slots, and UVs when the blob has them."""
    d = mesh.decode(data)
    p = mesh.positions_metres(d)
    n = len(p) // 3
    co = [0.0] * (3 * n)
    co[0::3] = [x / unit for x in p[0::3]]
    co[1::3] = [-z / unit for z in p[2::3]]
    co[2::3] = [y / unit for y in p[1::3]]
    sizes = list(d["face_sizes"])
    starts, at = [], 0
    for k in sizes:
        starts.append(at)
        at += k
    me = bpy.data.meshes.new(name)
    me.vertices.add(n)
    me.vertices.foreach_set("co", co)
    me.loops.add(len(d["corners"]))
    me.loops.foreach_set("vertex_index", list(d["corners"]))
    me.polygons.add(len(sizes))
    me.polygons.foreach_set("loop_start", starts)
    me.polygons.foreach_set("loop_total", sizes)
    me.polygons.foreach_set("material_index", list(d["slots"]))
    uv = mesh.uvs_from_blob(d)
    if uv is not None:
        me.uv_layers.new(name="UVMap").data.foreach_set("uv", uv)
    me.update(calc_edges=True)
    return me


def proxy_mesh(name, bounds, unit):
    """A box spanning the wire bounds: the wire carries a mesh summary, not vertices."""
    me = bpy.data.meshes.new(name)
    if bounds:
        lo = pos_from_canonical(bounds["min"], unit)
        hi = pos_from_canonical(bounds["max"], unit)
        xs, ys, zs = sorted((lo[0], hi[0])), sorted((lo[1], hi[1])), sorted((lo[2], hi[2]))
        verts = [(xs[i & 1], ys[(i >> 1) & 1], zs[(i >> 2) & 1]) for i in range(8)]
        faces = [(0, 2, 3, 1), (4, 5, 7, 6), (0, 1, 5, 4), (2, 6, 7, 3), (0, 4, 6, 2), (1, 3, 7, 5)]
        me.from_pydata(verts, [], faces)
    me.update()
    return me
