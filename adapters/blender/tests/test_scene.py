# Inside Blender: export (ids, conversion, mesh summary), apply in a sandbox, exact rollback,
# commit, resync. Run by blender_suite.py.
import math
import os
import tempfile
import unittest

import bpy

from vibesync_blender.blender import export
from vibesync_blender.blender.apply import ApplyError, apply_mutations
from vibesync_blender.blender.resync import resync
from vibesync_blender.core import canonical, ids


def scene():
    return bpy.context.scene


def wire(oid):
    return next(o for o in export.export_scene(scene())["objects"] if o["id"] == oid)


def cube():
    return bpy.data.objects["Cube"]


def mut(op, **kw):
    return dict({"mid": "m-" + op, "targets": ["blender"], "op": op}, **kw)


class SceneTests(unittest.TestCase):
    def setUp(self):
        bpy.ops.wm.read_factory_settings(use_empty=False)

    def test_export_assigns_stable_ids_and_converts_to_y_up(self):
        c = cube()
        c.location = (1.0, 2.0, 3.0)
        s1 = export.export_scene(scene())
        s2 = export.export_scene(scene())
        self.assertEqual([o["id"] for o in s1["objects"]], [o["id"] for o in s2["objects"]])
        self.assertEqual(len(s1["objects"]), 3)
        o = wire(c["vibesync_id"])
        self.assertEqual(o["type"], "mesh")
        self.assertEqual(o["transform"]["position"], [1.0, 3.0, -2.0])
        self.assertEqual(o["mesh"]["vertexCount"], 8)
        self.assertEqual(o["mesh"]["faceCount"], 6)
        self.assertEqual(o["mesh"]["bounds"], {"min": [-1.0, -1.0, -1.0], "max": [1.0, 1.0, 1.0]})
        # a 90 degree turn about Blender's Z (up) is a turn about canonical +Y
        c.rotation_euler = (0.0, 0.0, math.pi / 2)
        r = canonical.quantise_quat(wire(c["vibesync_id"])["transform"]["rotation"])
        self.assertEqual(r, [0, 707107, 0, 707107])
        mats = export.export_scene(scene())["materials"]
        self.assertEqual(len(mats), 1)
        self.assertEqual(o["materials"], [mats[0]["id"]])

    def test_unit_scale_converts_to_metres(self):
        scene().unit_settings.scale_length = 0.01  # centimetres
        cube().location = (100.0, 0.0, 0.0)
        o = wire(export.ensure_object_ids(scene()) and cube()["vibesync_id"])
        self.assertAlmostEqual(o["transform"]["position"][0], 1.0, places=6)
        self.assertEqual(canonical.quantise_vec(o["mesh"]["bounds"]["max"], 1e-4), [100, 100, 100])

    def test_duplicate_gets_fresh_id(self):
        export.ensure_object_ids(scene())
        c = cube()
        copy = c.copy()
        scene().collection.objects.link(copy)
        self.assertEqual(copy["vibesync_id"], c["vibesync_id"])
        export.ensure_object_ids(scene())
        self.assertNotEqual(copy["vibesync_id"], c["vibesync_id"])
        self.assertEqual(len({o["id"] for o in export.export_scene(scene())["objects"]}), 4)

    def test_applied_values_round_trip_exactly_and_rollback_restores(self):
        export.ensure_object_ids(scene())
        oid = cube()["vibesync_id"]
        before = canonical.object_hash(wire(oid))
        t = {"position": [0.00015, 123.45675, -7.77777], "rotation": [0.1, 0.2, 0.3, 0.9], "scale": [1.5, 2.00001, 0.3]}
        sb = apply_mutations(scene(), [mut("set_transform", objectId=oid, transform=t)])
        got = sb.state()["objects"][oid]
        self.assertEqual(got["transform"], t)
        expected = dict(wire(oid), transform=t)
        self.assertEqual(canonical.tx_hash(sb.state()), canonical.tx_hash({"objects": {oid: expected}, "materials": {}}))
        sb.rollback()
        self.assertEqual(canonical.object_hash(wire(oid)), before)
        self.assertEqual(tuple(cube().location), (0.0, 0.0, 0.0))

    def test_create_delete_material_then_rollback_leaves_scene_as_it_was(self):
        ids = export.ensure_object_ids(scene())
        before = canonical.scene_hash(export.export_scene(scene()))
        mesh = {"vertexCount": 5000, "faceCount": 4000, "geometryHash": "ab" * 32,
                "bounds": {"min": [-2, 0, -1], "max": [2, 3, 1]}}
        new = {"id": "obj-new", "name": "Tower", "type": "mesh", "parent": cube()["vibesync_id"],
               "transform": {"position": [0, 1, 0], "rotation": [0, 0, 0, 1], "scale": [1, 1, 1]},
               "mesh": mesh, "materials": ["mat-blue"]}
        blue = {"id": "mat-blue", "name": "Blue", "baseColor": [0.1, 0.2, 0.9, 1], "metallic": 0.3, "roughness": 0.45,
                "textures": [{"slot": "base_color", "width": 64, "height": 64, "hash": "cd" * 32}]}
        light_id = bpy.data.objects["Light"]["vibesync_id"]
        muts = [mut("upsert_material", material=blue), mut("create", object=new), mut("delete", objectId=light_id)]
        sb = apply_mutations(scene(), muts)
        st = sb.state()
        self.assertEqual(st["objects"]["obj-new"], new)
        self.assertIsNone(st["objects"][light_id])
        self.assertEqual(st["materials"]["mat-blue"], blue)
        self.assertNotIn("Light", [o.name for o in scene().objects])
        sb.rollback()
        self.assertEqual(canonical.scene_hash(export.export_scene(scene())), before)
        self.assertNotIn("Tower", bpy.data.objects)
        self.assertEqual(len(ids), len(scene().objects))

    def test_commit_makes_deletion_permanent(self):
        export.ensure_object_ids(scene())
        sb = apply_mutations(scene(), [mut("delete", objectId=bpy.data.objects["Light"]["vibesync_id"])])
        sb.commit()
        self.assertNotIn("Light", bpy.data.objects)

    def test_unknown_object_is_refused_and_nothing_changes(self):
        export.ensure_object_ids(scene())
        before = canonical.scene_hash(export.export_scene(scene()))
        with self.assertRaises(ApplyError) as err:
            apply_mutations(scene(), [
                mut("set_props", objectId=cube()["vibesync_id"], props={"name": "Renamed"}),
                mut("set_transform", objectId="nope", transform={"position": [1, 2, 3]}),
            ])
        self.assertEqual(err.exception.code, "UNKNOWN_OBJECT")
        self.assertEqual(canonical.scene_hash(export.export_scene(scene())), before)

    def test_long_name_is_truncated_by_blender_so_the_hash_differs(self):
        export.ensure_object_ids(scene())
        oid = cube()["vibesync_id"]
        sb = apply_mutations(scene(), [mut("set_props", objectId=oid, props={"name": "N" * 100})])
        self.assertEqual(len(sb.state()["objects"][oid]["name"]), 63)
        sb.rollback()
        self.assertEqual(cube().name, "Cube")

    def test_create_of_a_known_id_updates_in_place(self):
        export.ensure_object_ids(scene())
        o = wire(cube()["vibesync_id"])
        moved = dict(o, transform=dict(o["transform"], position=[3.0, 2.0, 1.0]))
        sb = apply_mutations(scene(), [mut("create", object=moved)])
        sb.commit()
        self.assertEqual(len(scene().objects), 3)
        self.assertEqual(wire(o["id"])["transform"]["position"], [3.0, 2.0, 1.0])

    def test_parent_inverse_from_ctrl_p_is_part_of_the_local_transform(self):
        empty = bpy.data.objects.new("Pivot", None)
        scene().collection.objects.link(empty)
        empty.location = (0.0, 0.0, 5.0)
        bpy.context.view_layer.update()
        c = cube()
        c.location = (1.0, 0.0, 0.0)
        c.parent = empty
        c.matrix_parent_inverse = empty.matrix_world.inverted()  # what Ctrl+P > Object does
        export.ensure_object_ids(scene())
        o = wire(c["vibesync_id"])
        self.assertEqual(o["parent"], empty["vibesync_id"])
        self.assertEqual(canonical.quantise_vec(o["transform"]["position"], 1e-4), [10000, -50000, 0])

    def test_an_object_parented_to_a_posed_bone_is_exported_where_blender_shows_it(self):
        arm_data = bpy.data.armatures.new("Rig")
        arm = bpy.data.objects.new("Rig", arm_data)
        scene().collection.objects.link(arm)
        arm.location = (2.0, 0.0, 0.0)
        bpy.context.view_layer.objects.active = arm
        bpy.ops.object.mode_set(mode="EDIT")
        bone = arm_data.edit_bones.new("Bone")
        bone.head, bone.tail = (0.0, 0.0, 0.0), (0.0, 0.0, 3.0)
        bpy.ops.object.mode_set(mode="OBJECT")
        arm.pose.bones["Bone"].rotation_mode = "XYZ"
        arm.pose.bones["Bone"].rotation_euler = (0.0, math.radians(90), 0.0)
        c = cube()
        c.parent, c.parent_type, c.parent_bone = arm, "BONE", "Bone"
        c.location = (1.0, 0.5, 0.0)
        bpy.context.view_layer.update()
        export.ensure_object_ids(scene())
        o = wire(c["vibesync_id"])
        self.assertEqual(o["parent"], arm["vibesync_id"])
        # the wire position is relative to the armature object; Blender shows the cube at its world position
        rel = arm.matrix_world.inverted() @ c.matrix_world.translation
        self.assertEqual(canonical.quantise_vec(o["transform"]["position"], 1e-4),
                         canonical.quantise_vec([rel.x, rel.z, -rel.y], 1e-4))

    def test_material_values_and_image_textures(self):
        mat = bpy.data.materials["Material"]
        bsdf = next(n for n in mat.node_tree.nodes if n.type == "BSDF_PRINCIPLED")
        bsdf.inputs["Base Color"].default_value = (0.2, 0.4, 0.6, 1.0)
        bsdf.inputs["Metallic"].default_value = 0.75
        img = bpy.data.images.new("albedo", width=32, height=16)
        tex = mat.node_tree.nodes.new("ShaderNodeTexImage")
        tex.image = img
        mat.node_tree.links.new(tex.outputs["Color"], bsdf.inputs["Base Color"])
        nimg = bpy.data.images.new("normals", width=8, height=8)
        ntex = mat.node_tree.nodes.new("ShaderNodeTexImage")
        ntex.image = nimg
        nmap = mat.node_tree.nodes.new("ShaderNodeNormalMap")
        mat.node_tree.links.new(ntex.outputs["Color"], nmap.inputs["Color"])
        mat.node_tree.links.new(nmap.outputs["Normal"], bsdf.inputs["Normal"])
        m = export.export_scene(scene())["materials"][0]
        self.assertEqual(canonical.quantise_vec(m["baseColor"], 1e-4), [2000, 4000, 6000, 10000])
        self.assertEqual(m["metallic"], 0.75)
        self.assertEqual([(t["slot"], t["width"], t["height"]) for t in m["textures"]], [("base_color", 32, 16), ("normal", 8, 8)])
        self.assertNotEqual(m["textures"][0]["hash"], m["textures"][1]["hash"])

    def test_an_emission_texture_is_exported_in_its_slot(self):
        mat = bpy.data.materials["Material"]
        bsdf = next(n for n in mat.node_tree.nodes if n.type == "BSDF_PRINCIPLED")
        tex = mat.node_tree.nodes.new("ShaderNodeTexImage")
        tex.image = bpy.data.images.new("glow", width=4, height=2)
        emission = "Emission Color" if "Emission Color" in bsdf.inputs else "Emission"
        mat.node_tree.links.new(tex.outputs["Color"], bsdf.inputs[emission])
        m = export.export_scene(scene())["materials"][0]
        self.assertEqual([(t["slot"], t["width"], t["height"]) for t in m["textures"]], [("emission", 4, 2)])

    def test_a_resync_scene_with_a_dangling_parent_is_refused_before_anything_changes(self):
        export.ensure_object_ids(scene())
        before = export.export_scene(scene())
        bad = export.export_scene(scene())
        bad["objects"] = [o for o in bad["objects"] if o["name"] != "Light"]  # delete one...
        bad["objects"][0]["parent"] = "gone"  # ...and name a parent the scene lacks
        with self.assertRaises(ApplyError) as e:
            resync(scene(), bad)
        self.assertEqual(e.exception.code, "SCHEMA_VIOLATION")
        self.assertEqual(export.export_scene(scene()), before)

    def test_resync_makes_scene_equal(self):
        export.ensure_object_ids(scene())
        target = export.export_scene(scene())
        cube().location = (5, 5, 5)
        bpy.data.objects.remove(bpy.data.objects["Camera"])
        extra = bpy.data.objects.new("Extra", None)
        scene().collection.objects.link(extra)
        resync(scene(), target)
        self.assertEqual(canonical.scene_hash(export.export_scene(scene())), canonical.scene_hash(target))
        self.assertNotIn("Extra", [o.name for o in scene().objects])


def names_to_ids():
    return {o.name: o.get("vibesync_id") for o in scene().objects}


class IdTests(unittest.TestCase):
    """vibesync_id is stamped outside undo steps: undo, reverts and resyncs must not lose objects."""

    def setUp(self):
        bpy.ops.wm.read_factory_settings(use_empty=False)
        ids.current = ids.IdRegistry()

    def tearDown(self):
        ids.current = None

    def test_ids_come_back_after_undo(self):
        bpy.ops.ed.undo_push(message="start")
        marker = bpy.data.objects.new("Marker", None)
        scene().collection.objects.link(marker)
        bpy.ops.ed.undo_push(message="user adds an empty")  # this state has no ids yet
        export.ensure_object_ids(scene())
        before = names_to_ids()
        cube().location.x = 5
        bpy.ops.ed.undo_push(message="user moves the cube")
        bpy.ops.ed.undo()
        self.assertIsNone(bpy.data.objects["Marker"].get("vibesync_id"))  # what undo does to a stamp
        export.ensure_object_ids(scene())
        self.assertEqual(names_to_ids(), before)
        self.assertEqual(cube().location.x, 0.0)

    def test_a_revert_of_the_same_file_keeps_ids_and_another_file_does_not(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "scene.blend")
            bpy.ops.wm.save_as_mainfile(filepath=path)  # saved before any id was stamped
            export.ensure_object_ids(scene())
            before = names_to_ids()
            ids.current.leaving(bpy.data.filepath)
            bpy.ops.wm.revert_mainfile()
            ids.current.file_loaded(bpy.data.filepath)
            self.assertIsNone(cube().get("vibesync_id"))
            export.ensure_object_ids(scene())
            self.assertEqual(names_to_ids(), before)
            ids.current.leaving(bpy.data.filepath)
            bpy.ops.wm.read_homefile(use_empty=False)
            ids.current.file_loaded(bpy.data.filepath)
            export.ensure_object_ids(scene())
            self.assertEqual(set(names_to_ids()), set(before))
            self.assertTrue(set(names_to_ids().values()).isdisjoint(before.values()))

    def test_a_copied_material_gets_a_fresh_id(self):
        mat = bpy.data.materials["Material"]
        first = export.material_id(mat)
        copy = mat.copy()
        cube().data.materials.append(copy)
        mats = export.ensure_material_ids(export.scene_materials(scene()))
        self.assertEqual(mats[first], mat)
        self.assertEqual(len(mats), 2)
        self.assertEqual(len({m["id"] for m in export.export_scene(scene())["materials"]}), 2)

    def test_resync_adopts_the_users_objects_whose_ids_vanished_instead_of_replacing_them(self):
        bpy.ops.mesh.primitive_uv_sphere_add(location=(3, 0, 0))
        sphere = bpy.context.active_object
        sphere.name = "Sphere"
        vertices = len(sphere.data.vertices)
        target = export.export_scene(scene())
        ids.current = None  # as after a revert to a file saved before the ids were stamped
        for idb in list(scene().objects) + list(bpy.data.materials):
            idb.pop("vibesync_id", None)
        pointers = {o.name: o.as_pointer() for o in scene().objects}
        materials = {m.name: m.as_pointer() for m in bpy.data.materials}
        resync(scene(), target)
        self.assertEqual(canonical.scene_hash(export.export_scene(scene())), canonical.scene_hash(target))
        self.assertEqual({o.name: o.as_pointer() for o in scene().objects}, pointers)
        self.assertEqual(len(bpy.data.objects["Sphere"].data.vertices), vertices)  # not an 8-vertex proxy
        self.assertEqual({m.name: m.as_pointer() for m in bpy.data.materials}, materials)

    def test_resync_keeps_a_mesh_whose_geometry_matches(self):
        target = export.export_scene(scene())
        mesh = cube().data.name
        cube().location = (4, 4, 4)
        resync(scene(), target)
        self.assertEqual(tuple(cube().location), (0.0, 0.0, 0.0))
        self.assertEqual(cube().data.name, mesh)
        self.assertEqual(len(bpy.data.meshes), 1)
