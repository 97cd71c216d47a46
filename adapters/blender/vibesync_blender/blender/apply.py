# Applies wire mutations to Blender inside a transaction sandbox: before an object or material is
# first touched its exact Blender-side state is saved, so rollback restores it bit for bit; deleted
# objects are only unlinked until commit. What each wire value becomes in Blender (transform, material,
# texture, mesh) is written by writers.py. The full-scene resync (Brain > Limb) is in resync.py.
import bpy

from ..core import blobs, compat, ids, mesh, shadow
from . import kinds
from ..core.mutation import subject
from .export import (TYPES, current_transform, ensure_material_ids, ensure_object_ids, export_material, export_object,
                     fresh_color, fresh_material_parts, fresh_materials, mesh_summary, scene_materials, scene_objects,
                     slot_images, unit_scale)
from .writers import (ApplyError, build_mesh, color_inputs, image_from_blob, link_slot_image, proxy_mesh,
                      replace_materials, same_mesh, write_color, write_transform)

BLENDER_TYPE = {v: k for k, v in TYPES.items()}


def _save_object(obj):
    rec = {"obj": obj, "name": obj.name, "parent": obj.parent, "mpi": obj.matrix_parent_inverse.copy(),
           "rotation_mode": obj.rotation_mode, "location": tuple(obj.location),
           "rq": tuple(obj.rotation_quaternion), "re": tuple(obj.rotation_euler),
           "raa": tuple(obj.rotation_axis_angle), "scale": tuple(obj.scale), "data": obj.data,
           "collections": list(obj.users_collection), "shadow": obj.get(shadow.PROP)}
    if obj.data is not None and hasattr(obj.data, "materials"):
        rec["materials"] = list(obj.data.materials)
    return rec


def _restore_object(rec):
    obj = rec["obj"]
    for coll in rec["collections"]:
        if obj.name not in coll.objects:
            coll.objects.link(obj)
    if obj.data is not rec["data"]:
        obj.data = rec["data"]
    if "materials" in rec:
        replace_materials(obj.data, rec["materials"])
    obj.name = rec["name"]
    obj.parent = rec["parent"]
    obj.matrix_parent_inverse = rec["mpi"]
    obj.rotation_mode = rec["rotation_mode"]
    obj.location, obj.rotation_quaternion = rec["location"], rec["rq"]
    obj.rotation_euler, obj.rotation_axis_angle, obj.scale = rec["re"], rec["raa"], rec["scale"]
    if rec["shadow"] is None:
        obj.pop(shadow.PROP, None)
    else:
        obj[shadow.PROP] = rec["shadow"]


class Sandbox:
    """Everything one transaction changed, and how to undo it."""

    def __init__(self, scene):
        self.scene = scene
        self.unit = unit_scale(scene)
        self.index = ensure_object_ids(scene)
        self.materials = ensure_material_ids(scene_materials(scene))
        self.saved_objects, self.saved_materials = {}, {}
        self.saved_data = {}  # light / camera datablocks: pointer -> (data, properties before)
        self.created_objects, self.created_materials, self.deleted = [], [], []
        self.touched = {"object": [], "material": []}

    # ---- bookkeeping ----
    def touch(self, kind, sid):
        if sid not in self.touched[kind]:
            self.touched[kind].append(sid)

    def _save_obj(self, obj):
        key = obj.as_pointer()
        if key not in self.saved_objects and obj not in self.created_objects:
            self.saved_objects[key] = _save_object(obj)

    def _save_mat(self, mat):
        key = mat.as_pointer()
        if key not in self.saved_materials and mat not in self.created_materials:
            self.saved_materials[key] = {"mat": mat, "name": mat.name, "color": color_inputs(mat),
                                         "images": slot_images(mat), "shadow": mat.get(shadow.PROP)}

    def obj(self, oid):
        obj = self.index.get(oid)
        if obj is None:
            raise ApplyError("UNKNOWN_OBJECT", "no object %s in this Blender scene" % oid)
        return obj

    def mat(self, mid):
        mat = self.materials.get(mid)
        if mat is None:
            raise ApplyError("UNKNOWN_OBJECT", "no material %s in this Blender file" % mid)
        return mat

    # ---- object edits ----
    def set_transform(self, obj, t):
        write_transform(obj, t, self.unit)

    def set_parent(self, obj, pid):
        keep = current_transform(obj, self.unit)
        obj.parent = self.obj(pid) if pid else None
        obj.matrix_parent_inverse.identity()
        self.set_transform(obj, keep)

    def set_kind_data(self, obj, light, camera):
        """A light's or camera's own data (kinds.py); what Blender holds is what the next export reads."""
        data = obj.data
        if (obj.type == "LIGHT" and light is not None) or (obj.type == "CAMERA" and camera is not None):
            if obj not in self.created_objects and data.as_pointer() not in self.saved_data:
                self.saved_data[data.as_pointer()] = (data, kinds.save_data(data))
            if obj.type == "LIGHT":
                kinds.apply_light(data, light, self.unit)
            else:
                kinds.apply_camera(data, camera, self.scene, self.unit)

    def set_materials(self, obj, ids):
        mats = [self.mat(i) for i in ids]
        if obj.data is not None and hasattr(obj.data, "materials"):
            replace_materials(obj.data, mats)
        shadow.record(obj, "materials", fresh_materials(obj), list(ids))

    def set_mesh(self, obj, summary):
        if summary is not None and summary.get("blob"):
            return self.set_mesh_blob(obj, summary)
        fresh = mesh_summary(obj.data, self.unit) if obj.type == "MESH" else None
        if summary is not None and fresh is not None and not same_mesh(shadow.resolve(obj, "mesh", fresh), summary):
            # the wire carries a summary, not vertices: only a different geometry becomes a proxy,
            # so a resync or a repeated create never replaces the user's mesh with a box
            mats = list(obj.data.materials)
            obj.data = proxy_mesh(obj.name, summary["bounds"], self.unit)
            for m in mats:
                obj.data.materials.append(m)
            fresh = mesh_summary(obj.data, self.unit)
        shadow.record(obj, "mesh", fresh, shadow.normalise(summary))

    def set_mesh_blob(self, obj, summary):
        """The mesh travels as content: build it from the blob; what is reported is then read back
        from Blender's own mesh (export.mesh_summary), never the wire's value."""
        digest = summary["geometryHash"]
        data = blobs.HELD.get(digest)
        if data is None:
            raise ApplyError("TARGET_FAILED", "mesh blob %s was never received" % digest)
        if obj.type != "MESH":
            raise ApplyError("TARGET_FAILED", "object %s is a %s and cannot hold a mesh" % (obj.name, obj.type))
        shadow.forget(obj, "mesh")
        if mesh_summary(obj.data, self.unit)["geometryHash"] == digest:
            return
        mats = list(obj.data.materials)
        try:
            obj.data = build_mesh(obj.name, data, self.unit)
        except mesh.MeshError as e:
            raise ApplyError("TARGET_FAILED", str(e)) from None
        for m in mats:
            obj.data.materials.append(m)

    def create(self, o):
        kind = BLENDER_TYPE.get(o["type"], "EMPTY")
        if kind == "MESH" and o["mesh"] and o["mesh"].get("blob"):
            data = bpy.data.meshes.new(o["name"])  # set_mesh builds it from the blob
        elif kind == "MESH":
            data = proxy_mesh(o["name"], o["mesh"]["bounds"] if o["mesh"] else None, self.unit)
        elif kind == "LIGHT":
            data = bpy.data.lights.new(o["name"], "POINT")
        elif kind == "CAMERA":
            data = bpy.data.cameras.new(o["name"])
        else:
            data = None
        obj = bpy.data.objects.new(o["name"], data)
        self.scene.collection.objects.link(obj)
        ids.stamp("object", obj, o["id"], obj.type)
        self.created_objects.append(obj)
        self.index[o["id"]] = obj
        self.update(obj, o)
        return obj

    def update(self, obj, o):
        """Makes an existing object equal to wire object `o` (resync, create of a known id)."""
        obj.name = o["name"]
        shadow.record(obj, "type", TYPES.get(obj.type, "other"), o["type"])
        self.set_mesh(obj, o["mesh"])
        self.set_materials(obj, o["materials"])
        self.set_kind_data(obj, o.get("light"), o.get("camera"))
        obj.parent = self.obj(o["parent"]) if o["parent"] else None
        obj.matrix_parent_inverse.identity()
        self.set_transform(obj, o["transform"])

    def delete(self, obj, oid):
        for coll in list(obj.users_collection):
            coll.objects.unlink(obj)
        self.deleted.append(obj)
        self.index.pop(oid, None)

    # ---- materials ----
    def write_material(self, mat, changes):
        if "name" in changes:
            mat.name = changes["name"]
        cur = shadow.resolve(mat, "color", fresh_color(mat))
        want = {k: changes.get(k, cur[k]) for k in ("baseColor", "metallic", "roughness")}
        write_color(mat, tuple(want["baseColor"]), want["metallic"], want["roughness"])
        shadow.record(mat, "color", shadow.normalise(fresh_color(mat)), shadow.normalise(want))

    def upsert_material(self, m):
        mat = self.materials.get(m["id"])
        if mat is None:
            mat = bpy.data.materials.new(m["name"])
            compat.enable_nodes(mat)
            mat.use_fake_user = True  # an unassigned material must survive save/reload like on the wire
            ids.stamp("material", mat, m["id"], "MATERIAL")
            self.created_materials.append(mat)
            self.materials[m["id"]] = mat
        else:
            self._save_mat(mat)
        self.write_material(mat, m)
        if all(t.get("blob") for t in m["textures"]):  # none at all included: its slots are unlinked
            self.write_textures(mat, m["textures"])
        else:
            # references without image bytes (an engine that sends no images): Blender cannot hold them
            shadow.record(mat, "textures", fresh_material_parts(mat, {})[1], shadow.normalise(m["textures"]))

    def write_textures(self, mat, textures):
        """The texture blobs become packed images linked into the Principled BSDF; what is reported
        afterwards is read back from those images (export.fresh_textures), never the wire's values."""
        images = {}
        for t in textures:
            data = blobs.HELD.get(t["hash"])
            if data is None:
                raise ApplyError("TARGET_FAILED", "texture blob %s was never received" % t["hash"])
            images[t["slot"]] = image_from_blob(t["hash"], data)
        shadow.forget(mat, "textures")
        for slot, _names in compat.PRINCIPLED_INPUTS:
            link_slot_image(mat, slot, images.get(slot))

    # ---- one mutation ----
    def apply(self, m):
        kind, sid = subject(m)
        self.touch(kind, sid)
        op = m["op"]
        if op == "set_transform":
            obj = self.obj(sid)
            self._save_obj(obj)
            self.set_transform(obj, dict(current_transform(obj, self.unit), **m["transform"]))
        elif op == "set_props":
            obj = self.obj(sid)
            self._save_obj(obj)
            p = m["props"]
            if "name" in p:
                obj.name = p["name"]
            if "mesh" in p:
                self.set_mesh(obj, p["mesh"])
            if "materials" in p:
                self.set_materials(obj, p["materials"])
            if "parent" in p:
                self.set_parent(obj, p["parent"])
            if "light" in p or "camera" in p:
                self.set_kind_data(obj, p.get("light"), p.get("camera"))
        elif op == "create":
            existing = self.index.get(sid)
            if existing is not None:
                self._save_obj(existing)
                self.update(existing, m["object"])
            else:
                self.create(m["object"])
        elif op == "delete":
            obj = self.obj(sid)
            self._save_obj(obj)
            self.delete(obj, sid)
        elif op == "set_material":
            mat = self.mat(sid)
            self._save_mat(mat)
            self.write_material(mat, m["changes"])
        elif op == "upsert_material":
            self.upsert_material(m["material"])
        else:
            raise ApplyError("SCHEMA_VIOLATION", "unknown op %r" % op)

    # ---- outcome ----
    def state(self):
        """The post-import state of every touched subject, as txHash covers it (None = absent)."""
        live = set(o.as_pointer() for o in scene_objects(self.scene))
        objects = {}
        for oid in self.touched["object"]:
            obj = self.index.get(oid)
            objects[oid] = export_object(obj, self.unit) if obj is not None and obj.as_pointer() in live else None
        materials = {}
        for mid in self.touched["material"]:
            mat = self.materials.get(mid)
            materials[mid] = export_material(mat) if mat is not None else None
        return {"objects": objects, "materials": materials}

    def commit(self):
        for rec in self.saved_objects.values():
            old = rec["data"]
            if old is not None and rec["obj"] not in self.deleted and old is not rec["obj"].data:
                _drop_orphan(old)
        for obj in self.deleted:
            data = obj.data
            bpy.data.objects.remove(obj, do_unlink=True)
            _drop_orphan(data)
        self.deleted = []

    def rollback(self):
        for obj in reversed(self.created_objects):
            data = obj.data
            bpy.data.objects.remove(obj, do_unlink=True)
            _drop_orphan(data)
        for rec in reversed(list(self.saved_objects.values())):
            replaced = rec["obj"].data
            _restore_object(rec)
            if replaced is not None and replaced is not rec["data"]:
                _drop_orphan(replaced)
        for data, saved in self.saved_data.values():
            kinds.restore_data(data, saved)
        for mat in self.created_materials:
            bpy.data.materials.remove(mat)
        for rec in self.saved_materials.values():
            mat = rec["mat"]
            mat.name = rec["name"]
            write_color(mat, *rec["color"])
            if slot_images(mat) != rec["images"]:
                for slot, _names in compat.PRINCIPLED_INPUTS:
                    link_slot_image(mat, slot, rec["images"].get(slot))
            if rec["shadow"] is None:
                mat.pop(shadow.PROP, None)
            else:
                mat[shadow.PROP] = rec["shadow"]


def _drop_orphan(data):
    if data is None or data.users > 0:
        return
    for kind, coll in ((bpy.types.Mesh, bpy.data.meshes), (bpy.types.Light, bpy.data.lights),
                       (bpy.types.Camera, bpy.data.cameras)):
        if isinstance(data, kind):
            coll.remove(data)
            return


def apply_mutations(scene, mutations):
    """Applies in a new sandbox; on an exception everything done so far is rolled back and re-raised."""
    sb = Sandbox(scene)
    try:
        for m in mutations:
            sb.apply(m)
    except Exception:
        sb.rollback()
        raise
    return sb
