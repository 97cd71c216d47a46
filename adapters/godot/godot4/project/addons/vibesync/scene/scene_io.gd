# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/scene/scene_io.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# The scene layer: Node3D nodes under one root <-> protocol objects and materials.
# Godot is +Y up, right-handed, in metres, like the wire: nothing converts. A wire transform is the
# node's local transform (relative to its parent object). Reads go through the shadow (see
# core/shadow.gd) so values applied from the wire read back exactly while the engine holds them.
extends RefCounted

const Shadow = preload("res://addons/vibesync/core/shadow.gd")
const C = preload("res://addons/vibesync/core/canonical.gd")
const Kinds = preload("res://addons/vibesync/scene/kinds_io.gd")
const MeshIO = preload("res://addons/vibesync/scene/mesh_io.gd")
const MeshBlob = preload("res://addons/vibesync/core/mesh_blob.gd")
const Blobs = preload("res://addons/vibesync/core/blobs.gd")
const TextureIO = preload("res://addons/vibesync/scene/texture_io.gd")
const Changes = preload("res://addons/vibesync/scene/changes.gd")
const NotSynced = preload("res://addons/vibesync/core/not_synced.gd")
const NodeFacts = preload("res://addons/vibesync/scene/node_facts.gd")

const META_ID = "vibesync_id"
const META_NAME = "vibesync_name"
const META_MESH = "vibesync_mesh"
const META_MATS = "vibesync_materials"
const META_TYPE = "vibesync_type"
const META_MARK = "vibesync_not_synced"  # a notSynced mark that arrived with the object (made elsewhere)

var root: Node3D
var materials = {}  # id -> StandardMaterial3D
var _nodes = {}  # id -> Node3D
var blobs = Blobs.new()  # every blob this Godot holds (meshes and texture files): exported and received
var changes = Changes.new()  # change counters of the meshes and textures read
var textures = TextureIO.new(blobs, changes)
var last_error = ""  # why the last apply could not hold what it was given ("" when it could)


func _init(scene_root: Node3D):
	root = scene_root
	reindex()


# The last apply's failure, cleared.
func take_error() -> String:
	var e = last_error
	last_error = ""
	return e


func reindex() -> void:
	_nodes.clear()
	for n in _walk(root):
		if n.has_meta(META_ID):
			_nodes[n.get_meta(META_ID)] = n


func _walk(n: Node) -> Array:
	var out = []
	for c in n.get_children():
		if c is Node3D:
			out.append(c)
			out += _walk(c)
	return out


func node(id: String):
	var n = _nodes.get(id)
	if n != null and not is_instance_valid(n):
		_nodes.erase(id)
		return null
	return n


func ids() -> Array:
	return _nodes.keys()


# ---- reading (engine -> wire) ----
# The node's local transform as the wire holds it (the shadow's exact value where it still applies).
func read_transform(n: Node3D) -> Dictionary:
	var t = n.transform
	var q = t.basis.get_rotation_quaternion()
	var s = t.basis.get_scale()
	return {
		"position": Shadow.resolve(n, "position", [t.origin.x, t.origin.y, t.origin.z]),
		"rotation": Shadow.resolve(n, "rotation", [q.x, q.y, q.z, q.w]),
		"scale": Shadow.resolve(n, "scale", [s.x, s.y, s.z]),
	}


func read_object(n: Node3D) -> Dictionary:
	var parent = n.get_parent()
	var mesh = n.get_meta(META_MESH) if n.has_meta(META_MESH) else mesh_summary(n)
	var o = {
		"id": n.get_meta(META_ID),
		"name": Shadow.resolve(n, "name", str(n.name)),
		"type": node_type(n),
		"parent": parent.get_meta(META_ID) if parent != root and parent.has_meta(META_ID) else null,
		"transform": read_transform(n),
		"mesh": mesh.duplicate(true) if mesh != null else null,
		"materials": n.get_meta(META_MATS).duplicate() if n.has_meta(META_MATS) else own_materials(n),
	}
	if n is Light3D:
		o["light"] = Kinds.read_light(n)
	elif n is Camera3D:
		o["camera"] = Kinds.read_camera(n)
	var mark = read_mark(n)
	if mark != null:
		o["notSynced"] = mark  # never hashed (core/canonical.gd leaves it out)
	return o


# What this node's content does not send (scene/node_facts.gd -> core/not_synced.gd), else the mark
# it arrived with (a Blender armature travels as an empty: a snapshot from Godot keeps its mark),
# or null.
static func read_mark(n: Node3D):
	var own = NotSynced.mark(NodeFacts.read(n))
	if own != null:
		return own
	return n.get_meta(META_MARK).duplicate() if n.has_meta(META_MARK) else null


# The summary of the mesh a MeshInstance3D holds, as a mesh blob re-encoded from Godot's own surfaces
# (scene/mesh_io.gd): built from a blob it was sent or made in Godot, never the wire's value. The blob
# is kept in `blobs` to be sent. Cached per Mesh resource and its change counter (scene/changes.gd:
# its `changed` signal, which Godot emits when surfaces are added, removed or updated and when a
# PrimitiveMesh is rebuilt), so only a replaced or edited mesh is re-encoded. Blobs made here for a
# mesh since edited or freed are forgotten (received ones are kept).
var _mesh_cache = {}  # Mesh instance id -> [change counter, summary]
var _prune_at = 64  # the cache size at which entries of freed meshes are dropped next


func mesh_summary(n: Node3D):
	if not (n is MeshInstance3D) or n.mesh == null:
		return null
	var m: Mesh = n.mesh
	var key = m.get_instance_id()
	var hit = _mesh_cache.get(key)
	if hit != null and hit[0] == changes.version(m) and blobs.held.has(hit[1]["geometryHash"]):
		return hit[1].duplicate(true)
	var g = MeshIO.read(m, true)  # UVs per held vertex, indexed per corner: quantised once per vertex
	var version = changes.version(m)  # after reading: a PrimitiveMesh rebuilds (and signals) when read
	var enc = MeshBlob.encode(g["positions"], g["sizes"], g["corners"], g["slots"], g["uvs"], g.get("uvIndex"))
	if enc["code"] != "":
		push_error("%s: %s" % [n.name, enc["error"]])
		return null
	blobs.keep(enc["bytes"])
	var summary = MeshBlob.summary(enc["bytes"])
	_mesh_cache[key] = [version, summary]
	if hit != null and hit[1]["geometryHash"] != summary["geometryHash"]:
		_prune([hit[1]["geometryHash"]])  # edited in place: its old blob may go
	elif _mesh_cache.size() >= _prune_at:
		_prune([])
	return summary.duplicate(true)


# Drops the cache entries of meshes that no longer exist (replaced and freed), then the blobs made
# here that neither they nor `also` leave in use. Amortised: it runs again once the cache doubles.
func _prune(also: Array) -> void:
	var dropped = also.duplicate()
	var in_use = {}
	for k in _mesh_cache.keys():
		if instance_from_id(k) == null:
			dropped.append(_mesh_cache[k][1]["geometryHash"])
			_mesh_cache.erase(k)
		else:
			in_use[_mesh_cache[k][1]["geometryHash"]] = true
	for h in dropped:
		if not in_use.has(h):
			blobs.forget(h)
	_prune_at = int(max(64, 2 * _mesh_cache.size()))


# Makes MeshInstance3D `n` hold the wire's mesh: a blob is built into an ArrayMesh (kept as it is when
# Godot already holds that very geometry); a summary without a blob (a source that sends no
# geometry) is kept as metadata, as it was before blobs. Sets last_error when it cannot.
func set_mesh(n: Node3D, summary) -> void:
	if summary == null or not summary.get("blob", false):
		if n.has_meta(META_MESH):
			n.remove_meta(META_MESH)
		if summary != null:
			n.set_meta(META_MESH, summary.duplicate(true))
		elif n is MeshInstance3D:
			n.mesh = null
		return
	if n.has_meta(META_MESH):
		n.remove_meta(META_MESH)
	var digest = summary["geometryHash"]
	if not (n is MeshInstance3D):
		last_error = "object %s is a %s and cannot hold a mesh" % [n.get_meta(META_ID), n.get_class()]
		return
	var held = mesh_summary(n)
	if held != null and held["geometryHash"] == digest:
		return
	var data = blobs.held.get(digest)
	if data == null:
		last_error = "mesh blob %s was never received" % digest
		return
	var d = MeshBlob.decode(data)
	if d["code"] != "":
		last_error = d["error"]
		return
	n.mesh = MeshIO.build(d)


# Materials a MeshInstance3D made in Godot uses (its override, else its surfaces'), registered under
# ids of their own so they are exported with the object.
func own_materials(n: Node3D) -> Array:
	if not (n is MeshInstance3D):
		return []
	var found = []
	if n.material_override is StandardMaterial3D:
		found.append(n.material_override)
	elif n.mesh != null:
		for i in range(n.mesh.get_surface_count()):
			var m = n.get_surface_override_material(i)
			if m == null:
				m = n.mesh.surface_get_material(i)
			if m is StandardMaterial3D and not found.has(m):
				found.append(m)
	var ids = []
	for m in found:
		if not m.has_meta(META_ID):
			m.set_meta(META_ID, "gd-mat-%08x" % (randi() & 0x7fffffff))
		var id = m.get_meta(META_ID)
		materials[id] = m
		ids.append(id)
	return ids


static func node_type(n: Node3D) -> String:
	if n.has_meta(META_TYPE):
		return n.get_meta(META_TYPE)
	if n is MeshInstance3D:
		return "mesh"
	if n is Light3D:
		return "light"
	if n is Camera3D:
		return "camera"
	return "empty"


func read_material(id: String) -> Dictionary:
	var m: StandardMaterial3D = materials[id]
	var c = m.albedo_color
	return {
		"id": id,
		"name": Shadow.resolve(m, "name", m.resource_name),
		"baseColor": Shadow.resolve(m, "color", [c.r, c.g, c.b, c.a]),
		"metallic": Shadow.resolve(m, "metallic", m.metallic),
		"roughness": Shadow.resolve(m, "roughness", m.roughness),
		"textures": textures.read(m),
	}


func read_scene() -> Dictionary:
	var objects = []
	for id in ids():
		var n = node(id)
		if n != null:
			objects.append(read_object(n))
	var mats = []
	for id in materials:
		mats.append(read_material(id))
	return {"objects": objects, "materials": mats}


func scene_hash() -> String:
	return C.scene_hash(read_scene())


# ---- writing (wire -> engine) ----
func create_object(o: Dictionary) -> Node3D:
	var n: Node3D
	match o["type"]:
		"mesh":
			n = MeshInstance3D.new()
		"light":
			n = Kinds.light_class(o["light"]["kind"] if o.get("light") != null else "point").new()
		"camera":
			n = Camera3D.new()
		_:
			n = Node3D.new()
	if o["type"] == "other":
		n.set_meta(META_TYPE, "other")
	n.set_meta(META_ID, o["id"])
	_nodes[o["id"]] = n
	root.add_child(n)
	apply_object(n, o)
	return n


# Applies every field of the wire object `o` to node `n` (parent included).
func apply_object(n: Node3D, o: Dictionary) -> void:
	set_parent(n, o["parent"])
	set_name(n, o["name"])
	set_transform(n, o["transform"])
	set_mesh(n, o["mesh"])
	n.set_meta(META_MATS, o["materials"].duplicate())
	_bind_materials(n)
	if n is Light3D and o.get("light") != null:
		Kinds.apply_light(n, o["light"])
	elif n is Camera3D and o.get("camera") != null:
		Kinds.apply_camera(n, o["camera"])
	# a mark Godot finds itself is read back from the node; only one it cannot find (made elsewhere) is kept
	if o.get("notSynced") != null and NotSynced.mark(NodeFacts.read(n)) == null:
		n.set_meta(META_MARK, o["notSynced"].duplicate())
	elif n.has_meta(META_MARK):
		n.remove_meta(META_MARK)


func set_parent(n: Node3D, parent_id) -> void:
	var want = root if parent_id == null else node(parent_id)
	if want == null:
		push_error("unknown parent " + str(parent_id))
		want = root
	if n.get_parent() != want:
		var wire_name = Shadow.resolve(n, "name", str(n.name))
		n.get_parent().remove_child(n)
		want.add_child(n)
		set_name(n, wire_name)  # a sibling of the same name would have renamed it


# Node names cannot hold . : @ / " % and are unique among siblings: the wire name is kept in the shadow.
func set_name(n: Node3D, wire_name: String) -> void:
	var safe = wire_name.replace(".", "_").replace(":", "_").replace("@", "_").replace("/", "_").replace("\"", "_").replace("%", "_")
	if safe == "":
		safe = "_"
	n.name = safe
	Shadow.record(n, "name", str(n.name), wire_name)


func set_transform(n: Node3D, t: Dictionary) -> void:
	var p = t["position"]
	var r = t["rotation"]
	var s = t["scale"]
	var length = sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2] + r[3] * r[3])
	var b = Basis(Quaternion(r[0] / length, r[1] / length, r[2] / length, r[3] / length))
	b.x *= s[0]
	b.y *= s[1]
	b.z *= s[2]
	n.transform = Transform3D(b, Vector3(p[0], p[1], p[2]))
	var nt = n.transform
	var nq = nt.basis.get_rotation_quaternion()
	var ns = nt.basis.get_scale()
	Shadow.record(n, "position", [nt.origin.x, nt.origin.y, nt.origin.z], [float(p[0]), float(p[1]), float(p[2])])
	Shadow.record(n, "rotation", [nq.x, nq.y, nq.z, nq.w], [float(r[0]), float(r[1]), float(r[2]), float(r[3])])
	Shadow.record(n, "scale", [ns.x, ns.y, ns.z], [float(s[0]), float(s[1]), float(s[2])])


func delete_object(id: String) -> void:
	var n = node(id)
	if n == null:
		return
	_nodes.erase(id)
	n.get_parent().remove_child(n)
	n.free()


func upsert_material(m: Dictionary) -> void:
	var mat: StandardMaterial3D = materials.get(m["id"])
	if mat == null:
		mat = StandardMaterial3D.new()
		materials[m["id"]] = mat
	mat.resource_name = m["name"]
	Shadow.record(mat, "name", mat.resource_name, m["name"])
	var c = m["baseColor"]
	mat.albedo_color = Color(c[0], c[1], c[2], c[3])
	var ac = mat.albedo_color
	Shadow.record(mat, "color", [ac.r, ac.g, ac.b, ac.a], [float(c[0]), float(c[1]), float(c[2]), float(c[3])])
	mat.metallic = m["metallic"]
	Shadow.record(mat, "metallic", mat.metallic, float(m["metallic"]))
	mat.roughness = m["roughness"]
	Shadow.record(mat, "roughness", mat.roughness, float(m["roughness"]))
	var failed = textures.apply(mat, m["textures"])
	if failed != "":
		last_error = "material %s: %s" % [m["id"], failed]


func delete_material(id: String) -> void:
	materials.erase(id)


# A mesh built from a blob wears material slot s on the surfaces of slot s; any other the first.
func _bind_materials(n: Node3D) -> void:
	if not (n is MeshInstance3D):
		return
	var mats = n.get_meta(META_MATS)
	var topo = n.mesh.get_meta(MeshIO.META) if n.mesh != null and n.mesh.has_meta(MeshIO.META) else null
	if topo == null or topo.size() != n.mesh.get_surface_count():
		n.material_override = materials.get(mats[0]) if mats.size() > 0 else null
		return
	n.material_override = null
	for i in range(topo.size()):
		var slot = topo[i]["slot"]
		n.set_surface_override_material(i, materials.get(mats[slot]) if slot >= 0 and slot < mats.size() else null)


# Makes the held scene equal to `scene` (resync): removes what it lacks, creates parents first.
func replace_scene(scene: Dictionary) -> void:
	var keep = {}
	for o in scene["objects"]:
		keep[o["id"]] = o
	for id in ids():
		if not keep.has(id):
			var n = node(id)
			if n != null:
				# children we keep move to the root first, so freeing does not take them along
				for c in n.get_children():
					if c is Node3D and c.has_meta(META_ID) and keep.has(c.get_meta(META_ID)):
						n.remove_child(c)
						root.add_child(c)
				delete_object(id)
	materials.clear()
	for m in scene["materials"]:
		upsert_material(m)
	for o in parents_first(scene["objects"]):
		var n = node(o["id"])
		if n == null:
			create_object(o)
		else:
			apply_object(n, o)


static func parents_first(objects: Array) -> Array:
	var by_id = {}
	for o in objects:
		by_id[o["id"]] = o
	var out = []
	var placed = {}
	var pending = objects.duplicate()
	while pending.size() > 0:
		var rest = []
		for o in pending:
			if o["parent"] == null or placed.has(o["parent"]) or not by_id.has(o["parent"]):
				out.append(o)
				placed[o["id"]] = true
			else:
				rest.append(o)
		if rest.size() == pending.size():
			out += rest  # a cycle: the orchestrator never sends one
			break
		pending = rest
	return out
