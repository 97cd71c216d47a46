# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/tests/run_adapter.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# Headless runner for tests and benches:
#   godot3-server --path adapters/godot --script res://tests/run_adapter.gd
# Configuration from VIBESYNC_URL, VIBESYNC_TOKEN, VIBESYNC_NAME, VIBESYNC_ROLES (comma list),
# VIBESYNC_TARGETS (comma list), VIBESYNC_GENERATION. Prints every adapter event as
# "VIBESYNC_EVENT {json}". Commands: JSON lines appended to the file $VIBESYNC_COMMANDS
# ({"id": n, "op": ...}), answered by an event {"event": "done", "id": n, ...}.
extends SceneTree

const W = preload("res://addons/vibesync/core/wire_json.gd")
const C = preload("res://addons/vibesync/core/canonical.gd")
const Adapter = preload("res://addons/vibesync/adapter.gd")
const Compat = preload("res://addons/vibesync/compat.gd")
const MeshIO = preload("res://addons/vibesync/scene/mesh_io.gd")
const MeshBlob = preload("res://addons/vibesync/core/mesh_blob.gd")
const TextureIO = preload("res://addons/vibesync/scene/texture_io.gd")
const NotSynced = preload("res://addons/vibesync/core/not_synced.gd")

var adapter
var scene_root: Node3D
var _commands_path = ""
var _read_offset = 0
var _partial = ""
var _animations = []  # the "animate" command's moving nodes


func _init():
	scene_root = Node3D.new()
	scene_root.name = "VibeSyncScene"
	get_root().call_deferred("add_child", scene_root)
	adapter = Adapter.new()
	adapter.setup(scene_root, int(_env("VIBESYNC_GENERATION", "1")))
	adapter.url = _env("VIBESYNC_URL", adapter.url)
	adapter.token = _env("VIBESYNC_TOKEN", "")
	adapter.engine_name = _env("VIBESYNC_NAME", "godot")
	adapter.roles = _list(_env("VIBESYNC_ROLES", "source,target"))
	adapter.targets = _list(_env("VIBESYNC_TARGETS", ""))
	Compat.connect_signal(adapter, "event", self, "_emit")
	get_root().call_deferred("add_child", adapter)
	adapter.call_deferred("start")
	_commands_path = _env("VIBESYNC_COMMANDS", "")


static func _env(k: String, d: String) -> String:
	var v = OS.get_environment(k)
	return v if v != "" else d


static func _list(s: String) -> Array:
	var out = []
	for p in s.split(",", false):
		out.append(p.strip_edges())
	return out


func _emit(e: Dictionary) -> void:
	print("VIBESYNC_EVENT " + W.stringify(e))


func _process(_delta):
	var running = []
	for a in _animations:
		var ms = min(a["ms"], float(Time.get_ticks_msec() - a["t0"]))
		a["node"].position = a["from"] + Vector3(a["v"][0], a["v"][1], a["v"][2]) * (ms / 1000.0)
		if ms < a["ms"]:
			running.append(a)
		else:
			_emit({"event": "animated", "objectId": a["node"].get_meta("vibesync_id")})
	_animations = running
	if _commands_path == "":
		return false
	var bytes = Compat.read_from(_commands_path, _read_offset)
	if bytes.size() > 0:
		_read_offset += bytes.size()
		_partial += bytes.get_string_from_utf8()
		while _partial.find("\n") >= 0:
			var nl = _partial.find("\n")
			var line = _partial.substr(0, nl)
			_partial = _partial.substr(nl + 1)
			if line.strip_edges() != "":
				_run(Compat.json_parse(line)["value"])
	return false


func _run(cmd: Dictionary) -> void:
	var out = {"event": "done", "id": cmd.get("id"), "op": cmd.get("op")}
	var io = adapter.io
	match cmd["op"]:
		"hash":
			out["hash"] = io.scene_hash()
			out["objects"] = io.ids().size()
		"read":
			var n = io.node(cmd["objectId"])
			out["object"] = io.read_object(n) if n != null else null
			if n != null:
				var g = n.global_transform
				out["world"] = [g.origin.x, g.origin.y, g.origin.z]
				out["class"] = n.get_class()
				var t = n.transform  # what Godot holds, read from the node (never the shadow)
				var q = t.basis.get_rotation_quaternion()
				var sc = t.basis.get_scale()
				out["local"] = {"origin": [t.origin.x, t.origin.y, t.origin.z], "quat": [q.x, q.y, q.z, q.w], "scale": [sc.x, sc.y, sc.z]}
		"scene":
			out["scene"] = io.read_scene()
		"message":  # a JSON message handed to the adapter as if the orchestrator had sent it
			adapter._handle(cmd["message"])
		"binary":  # a binary frame handed to the adapter as if the orchestrator had sent it
			var b = StreamPeerBuffer.new()
			for x in cmd["bytes"]:
				b.put_u8(int(x))
			adapter._on_binary(b.data_array)
		"upsert_material":
			io.upsert_material(cmd["material"])
			out["error"] = io.take_error()
		"texture":
			# the texture a material holds in a slot's StandardMaterial3D property: its size and one pixel
			var mat = io.materials[cmd["materialId"]]
			var tex = mat.get(TextureIO.SLOTS[cmd["slot"]])
			out["class"] = tex.get_class() if tex != null else null
			if tex != null:
				out["width"] = tex.get_width()
				out["height"] = tex.get_height()
				out["pixel"] = Compat.pixel(Compat.texture_image(tex), int(cmd["x"]), int(cmd["y"]))
				out["enabled"] = {"normal": mat.normal_enabled, "emission": mat.emission_enabled}
		"set_texture":
			# a texture set in Godot on the material a MeshInstance3D wears: an image file (`path`, kept
			# as the texture's resource path, as an imported file is) or generated pixels (`fill`)
			var img = Image.new()
			if cmd.has("path"):
				img.load(cmd["path"])
			else:
				img.create(int(cmd["width"]), int(cmd["height"]), false, Image.FORMAT_RGBA8)
				var c = cmd["fill"]
				img.fill(Color(c[0], c[1], c[2], c[3]))
			var tex = Compat.texture_from_image(img)
			if cmd.has("path"):
				tex.resource_path = cmd["path"]
			var mat = io.node(cmd["objectId"]).material_override
			mat.set(TextureIO.SLOTS[cmd["slot"]], tex)
			if TextureIO.FEATURES.has(cmd["slot"]):
				mat.set(TextureIO.FEATURES[cmd["slot"]], true)
		"move":
			var n = io.node(cmd["objectId"])
			var p = cmd["position"]
			n.position = Vector3(p[0], p[1], p[2])
		"animate":  # moves a node every frame for `ms` (as an animation would), then ends at position + velocity * ms
			var p = cmd["position"]
			_animations.append({"node": io.node(cmd["objectId"]), "from": Vector3(p[0], p[1], p[2]), "v": cmd["velocity"], "ms": float(cmd["ms"]), "t0": Time.get_ticks_msec()})
		"rotate_y":
			io.node(cmd["objectId"]).rotate_y(cmd["radians"])
		"scale":
			var s = cmd["scale"]
			io.node(cmd["objectId"]).scale = Vector3(s[0], s[1], s[2])
		"rename":
			io.node(cmd["objectId"]).name = cmd["name"]
		"reparent":
			var n = io.node(cmd["objectId"])
			var to = io.root if cmd["parent"] == null else io.node(cmd["parent"])
			n.get_parent().remove_child(n)
			to.add_child(n)
		"create":
			var n = Node3D.new()
			n.name = cmd["name"]
			if cmd.has("objectId"):
				n.set_meta("vibesync_id", cmd["objectId"])
			io.root.add_child(n)
			io.reindex()
		"delete":
			io.delete_object(cmd["objectId"])
		"snapshot":
			adapter.send_snapshot("requested")
		"populate":
			# benches: `count` empties and meshes in a grid, ids gd-bench-N
			for i in range(int(cmd["count"])):
				var n = MeshInstance3D.new() if i % 2 == 0 else Node3D.new()
				n.name = "Bench %d" % i
				n.set_meta("vibesync_id", "gd-bench-%d" % i)
				if i % 2 == 0:
					n.set_meta("vibesync_mesh", {"vertexCount": 8, "faceCount": 6, "geometryHash": C.geometry_hash([-1, -1, -1, 1, -1, -1, 1, 1, -1, -1, 1, -1, -1, -1, 1, 1, -1, 1, 1, 1, 1, -1, 1, 1], [[0, 1, 2, 3], [4, 5, 6, 7], [0, 1, 5, 4], [2, 3, 7, 6], [0, 3, 7, 4], [1, 2, 6, 5]]), "bounds": {"min": [-1, -1, -1], "max": [1, 1, 1]}})
				n.position = Vector3(i % 32, (i / 32) % 32, i / 1024) * 1.5
				n.rotate_y(i * 0.01)
				io.root.add_child(n)
			io.reindex()
		"add_box":
			# a MeshInstance3D holding a real Godot mesh (a BoxMesh), made in Godot
			var n = MeshInstance3D.new()
			n.name = cmd["name"]
			n.set_meta("vibesync_id", cmd["objectId"])
			var cube = BoxMesh.new()
			cube.size = Vector3(cmd["size"][0], cmd["size"][1], cmd["size"][2])
			n.mesh = cube
			if cmd.has("color"):
				var mat = StandardMaterial3D.new()
				mat.resource_name = cmd["name"] + " paint"
				var c = cmd["color"]
				mat.albedo_color = Color(c[0], c[1], c[2], c[3])
				n.material_override = mat
			io.root.add_child(n)
			io.reindex()
			out["mesh"] = MeshIO.read(cube)  # canonical positions, faces, slots, UVs of Godot's surfaces
		"mesh":
			# what Godot holds for a MeshInstance3D: its surfaces, and the blob re-encoded from them
			var m = io.node(cmd["objectId"]).mesh
			out["surfaces"] = m.get_surface_count() if m != null else 0
			var verts = 0
			var tris = 0
			for s in range(out["surfaces"]):
				var a = MeshIO.arrays(m, s)
				verts += a[Mesh.ARRAY_VERTEX].size()
				if MeshIO.primitive(m, s) == Mesh.PRIMITIVE_TRIANGLES:
					tris += a[Mesh.ARRAY_INDEX].size() / 3
			out["godotVertices"] = verts
			out["triangles"] = tris
			if m != null:
				var g = MeshIO.read(m)
				var enc = MeshBlob.encode(g["positions"], g["sizes"], g["corners"], g["slots"], g["uvs"])
				out["blob"] = enc["bytes"].hex_encode() if enc["code"] == "" else null
				out["class"] = m.get_class()
		"nudge_vertex":
			# edits the mesh Godot holds: vertex `index` of surface 0 moves by `by` (a new ArrayMesh
			# with the same surfaces and metadata, as an edit in Godot would leave it)
			var n = io.node(cmd["objectId"])
			var old: Mesh = n.mesh
			var m = ArrayMesh.new()
			for s in range(old.get_surface_count()):
				var a = old.surface_get_arrays(s)
				if s == 0:
					var verts = a[Mesh.ARRAY_VERTEX]
					var by = cmd["by"]
					verts[int(cmd["index"])] += Vector3(by[0], by[1], by[2])
					a[Mesh.ARRAY_VERTEX] = verts
				Compat.add_surface(m, MeshIO.primitive(old, s), a)
			if old.has_meta(MeshIO.META):
				m.set_meta(MeshIO.META, old.get_meta(MeshIO.META))
			n.mesh = m
		"resize_box":
			# edits a BoxMesh in place (the same resource, rebuilt by Godot on the next frame)
			var s = cmd["size"]
			io.node(cmd["objectId"]).mesh.size = Vector3(s[0], s[1], s[2])
		"to_array_mesh":
			# replaces the mesh with an ArrayMesh of the same surfaces (as "convert to ArrayMesh" would)
			var n = io.node(cmd["objectId"])
			var m = ArrayMesh.new()
			for i in range(n.mesh.get_surface_count()):
				Compat.add_surface(m, MeshIO.primitive(n.mesh, i), MeshIO.arrays(n.mesh, i))
			n.mesh = m
		"nudge_in_place":
			# edits the ArrayMesh a MeshInstance3D holds in place with a MeshDataTool: vertex `index` of
			# surface 0 moves by `by` (the surface is removed and committed again, on the same resource)
			var m = io.node(cmd["objectId"]).mesh
			var mdt = MeshDataTool.new()
			mdt.create_from_surface(m, 0)
			var by = cmd["by"]
			mdt.set_vertex(int(cmd["index"]), mdt.get_vertex(int(cmd["index"])) + Vector3(by[0], by[1], by[2]))
			m.surface_remove(0)
			mdt.commit_to_surface(m)
			out["meshId"] = m.get_instance_id()
		"add_node":
			# a node whose content VibeSync does not send (docs/adapters/godot.md, What is not synced),
			# under the root or the object `parent`
			var n = _unsynced_node(cmd["what"])
			n.name = cmd["name"]
			n.set_meta("vibesync_id", cmd["objectId"])
			(io.root if cmd.get("parent") == null else io.node(cmd["parent"])).add_child(n)
			io.reindex()
			out["class"] = n.get_class()
		"remesh":
			# replaces a MeshInstance3D's mesh by an ArrayMesh of the same surfaces, with vertex colours
			# and a second UV channel on its triangle surfaces or without, and an extra lines surface or not
			var n = io.node(cmd["objectId"])
			var m = ArrayMesh.new()
			for s in range(n.mesh.get_surface_count()):
				var p = MeshIO.primitive(n.mesh, s)
				var a = MeshIO.arrays(n.mesh, s)
				if p == Mesh.PRIMITIVE_TRIANGLES:
					var count = a[Mesh.ARRAY_VERTEX].size()
					a[Mesh.ARRAY_COLOR] = _filled(PackedColorArray(), Color(1, 0, 0), count) if cmd.get("colors", false) else null
					a[Mesh.ARRAY_TEX_UV2] = _filled(PackedVector2Array(), Vector2(0.5, 0.5), count) if cmd.get("uv2", false) else null
				if p == Mesh.PRIMITIVE_TRIANGLES or not cmd.has("lines"):
					Compat.add_surface(m, p, a)
			if cmd.get("lines", false):
				Compat.add_surface(m, Mesh.PRIMITIVE_LINES, _arrays(PackedVector3Array([Vector3(0, 0, 0), Vector3(0, 2, 0)])))
			n.mesh = m
		"not_synced":  # core/not_synced.gd's mark for plain facts, without a node
			out["mark"] = NotSynced.mark(cmd["facts"])
		"camera_aspect":
			# a Camera3D's keep_aspect: "width" (its fov is then horizontal) or "height"
			io.node(cmd["objectId"]).keep_aspect = Camera3D.KEEP_WIDTH if cmd["aspect"] == "width" else Camera3D.KEEP_HEIGHT
		"color":
			# the colour of the material a MeshInstance3D made in Godot wears
			var c = cmd["color"]
			io.node(cmd["objectId"]).material_override.albedo_color = Color(c[0], c[1], c[2], c[3])
		"hold_tx":
			adapter.tx.hold_hash = true
		"busy":
			adapter.busy(cmd["reason"], int(cmd["expectedMs"]))
		"ready":
			adapter.send_ready()
		"reload":
			adapter.reload()
		"quit":
			adapter.stop()
			quit(0)
	_emit(out)


static func _filled(pool, value, count: int):
	for i in range(count):
		pool.append(value)
	return pool


static func _arrays(verts: PackedVector3Array) -> Array:
	var a = []
	a.resize(Mesh.ARRAY_MAX)
	a[Mesh.ARRAY_VERTEX] = verts
	return a


# One node of each kind VibeSync marks instead of sending its content.
static func _unsynced_node(what: String) -> Node3D:
	match what:
		"skeleton":
			var sk = Skeleton3D.new()
			sk.add_bone("root")
			sk.add_bone("arm")
			sk.set_bone_parent(1, 0)
			return sk
		"skinned":  # a triangle with bone weights and a Skin (put it under a Skeleton3D)
			var a = _arrays(PackedVector3Array([Vector3(0, 0, 0), Vector3(1, 0, 0), Vector3(0, 1, 0)]))
			a[Mesh.ARRAY_BONES] = PackedInt32Array([0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])
			a[Mesh.ARRAY_WEIGHTS] = PackedFloat32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])
			var m = ArrayMesh.new()
			Compat.add_surface(m, Mesh.PRIMITIVE_TRIANGLES, a)
			var mi = MeshInstance3D.new()
			mi.mesh = m
			mi.skin = Skin.new()
			return mi
		"bone_attachment":  # put it under a Skeleton3D
			var b = BoneAttachment3D.new()
			b.bone_name = "arm"
			return b
		"path":
			var p = Path3D.new()
			p.curve = Curve3D.new()
			for x in [0, 1, 2]:
				p.curve.add_point(Vector3(x, 0, 0))
			return p
		"csg":
			return CSGBox3D.new()
		"multimesh":
			var mm = MultiMesh.new()
			mm.transform_format = MultiMesh.TRANSFORM_3D
			mm.mesh = BoxMesh.new()
			mm.instance_count = 5
			var mmi = MultiMeshInstance3D.new()
			mmi.multimesh = mm
			return mmi
		"gridmap":
			return GridMap.new()
		"particles":
			return CPUParticles3D.new()
		"sprite":
			return Sprite3D.new()
		"odd_mesh":  # a triangle surface, a line surface and a triangle strip
			var m = ArrayMesh.new()
			Compat.add_surface(m, Mesh.PRIMITIVE_TRIANGLES, _arrays(PackedVector3Array([Vector3(0, 0, 0), Vector3(0, 1, 0), Vector3(1, 0, 0)])))
			Compat.add_surface(m, Mesh.PRIMITIVE_LINES, _arrays(PackedVector3Array([Vector3(0, 0, 1), Vector3(0, 1, 1)])))
			Compat.add_surface(m, Mesh.PRIMITIVE_TRIANGLE_STRIP, _arrays(PackedVector3Array([Vector3(0, 0, 2), Vector3(0, 1, 2), Vector3(1, 0, 2), Vector3(1, 1, 2)])))
			var mi = MeshInstance3D.new()
			mi.mesh = m
			return mi
		"frustum_camera":
			var c = Camera3D.new()
			c.projection = Camera3D.PROJECTION_FRUSTUM
			return c
	return Node3D.new()
