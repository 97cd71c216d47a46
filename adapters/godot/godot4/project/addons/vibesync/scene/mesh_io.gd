# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/scene/mesh_io.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# Godot meshes <-> canonical mesh data (core/mesh_blob.gd). Engine layer: it reads and writes
# ArrayMesh surfaces and nothing else.
#
# Import (build): one triangle surface per material slot, in slot order (the slot numbers are kept
# in the mesh's metadata), and a point surface for vertices no face uses. Godot holds triangles only:
# a face of n corners c0 … c(n-1) becomes the fan (c0, ci, ci+1), i = 1 … n-2. Godot's front faces
# are clockwise and the wire's (glTF, Blender) counter-clockwise, so each triangle is written reversed.
# A vertex is split once per (slot, UV) it is used with; normals are recomputed (smooth, from the
# positions and faces: area-weighted, shared across splits). UVs: the wire's v points up (Blender),
# Godot's down: v_godot = 1 - v.
#
# Export (read): everything is read back from the surfaces Godot holds: positions, UVs and
# triangles. What Godot cannot hold, the polygon each triangle came from, the order of faces across
# surfaces and which split vertices are one, is kept beside the mesh as metadata and is checked
# against the held triangles: triangles that no longer form their face's fan come out as triangles,
# split copies that no longer agree come out as separate vertices, so any change to what Godot holds
# changes the blob and its hash. A mesh without that metadata (made in Godot) is read as it is: each
# surface's vertices, its triangles as faces, slot = surface index.
extends RefCounted

const Compat = preload("res://addons/vibesync/compat.gd")
const META = "vibesync_topology"


# d: a decoded blob (core/mesh_blob.gd decode). -> ArrayMesh
static func build(d: Dictionary) -> ArrayMesh:
	var pos = d["positions"]
	var nv = d["vertexCount"]
	var sizes = d["faceSizes"]
	var corners = d["corners"]
	var uvs = d["uvs"]
	var normals = _smooth_normals(pos, nv, sizes, corners)
	var by_slot = {}
	var starts = []
	var at = 0
	for f in range(sizes.size()):
		starts.append(at)
		at += sizes[f]
		var s = d["slots"][f]
		if not by_slot.has(s):
			by_slot[s] = []
		by_slot[s].append(f)
	var slots = by_slot.keys()
	slots.sort()
	var mesh = ArrayMesh.new()
	var topo = []
	var used = []
	used.resize(nv)
	for s in slots:
		var verts = PackedVector3Array()
		var norms = PackedVector3Array()
		var tex = PackedVector2Array()
		var index = PackedInt32Array()
		var ids = PackedInt32Array()
		var split = {}  # vertex (and its UV) -> index in this surface
		var faces = PackedInt32Array()
		var face_sizes = PackedInt32Array()
		for f in by_slot[s]:
			faces.append(f)
			face_sizes.append(sizes[f])
			var g = []
			for k in range(sizes[f]):
				var c = starts[f] + k
				var vi = corners[c]
				used[vi] = true
				var key = vi if uvs == null else "%d %d %d" % [vi, uvs[2 * c], uvs[2 * c + 1]]
				if not split.has(key):
					split[key] = verts.size()
					verts.append(Vector3(pos[3 * vi] / 10000.0, pos[3 * vi + 1] / 10000.0, pos[3 * vi + 2] / 10000.0))
					norms.append(normals[vi])
					if uvs != null:
						tex.append(Vector2(uvs[2 * c] / 100000.0, 1.0 - uvs[2 * c + 1] / 100000.0))
					ids.append(vi)
				g.append(split[key])
			for k in range(1, g.size() - 1):
				index.append(g[0])
				index.append(g[k + 1])
				index.append(g[k])
		var arrays = []
		arrays.resize(Mesh.ARRAY_MAX)
		arrays[Mesh.ARRAY_VERTEX] = verts
		arrays[Mesh.ARRAY_NORMAL] = norms
		if uvs != null:
			arrays[Mesh.ARRAY_TEX_UV] = tex
		arrays[Mesh.ARRAY_INDEX] = index
		Compat.add_surface(mesh, Mesh.PRIMITIVE_TRIANGLES, arrays)
		topo.append({"slot": s, "faces": faces, "sizes": face_sizes, "vertices": ids})
	var loose = PackedVector3Array()
	var loose_ids = PackedInt32Array()
	for vi in range(nv):
		if used[vi] == null:
			loose.append(Vector3(pos[3 * vi] / 10000.0, pos[3 * vi + 1] / 10000.0, pos[3 * vi + 2] / 10000.0))
			loose_ids.append(vi)
	if loose.size() > 0:
		var arrays = []
		arrays.resize(Mesh.ARRAY_MAX)
		arrays[Mesh.ARRAY_VERTEX] = loose
		Compat.add_surface(mesh, Mesh.PRIMITIVE_POINTS, arrays)
		topo.append({"slot": -1, "faces": PackedInt32Array(), "sizes": PackedInt32Array(), "vertices": loose_ids})
	mesh.set_meta(META, topo)
	return mesh


# Per vertex: the normalised sum of the (area-weighted, Newell) normals of the faces that use it.
static func _smooth_normals(pos, nv: int, sizes, corners) -> Array:
	var acc = []
	acc.resize(nv)
	for i in range(nv):
		acc[i] = Vector3()
	var at = 0
	for n in sizes:
		var fnorm = Vector3()
		for k in range(n):
			var a = corners[at + k]
			var b = corners[at + (k + 1) % n]
			var pa = Vector3(pos[3 * a], pos[3 * a + 1], pos[3 * a + 2])
			var pb = Vector3(pos[3 * b], pos[3 * b + 1], pos[3 * b + 2])
			fnorm += Vector3((pa.y - pb.y) * (pa.z + pb.z), (pa.z - pb.z) * (pa.x + pb.x), (pa.x - pb.x) * (pa.y + pb.y))
		for k in range(n):
			acc[corners[at + k]] += fnorm
		at += n
	for i in range(nv):
		acc[i] = acc[i].normalized() if acc[i].length_squared() > 0 else Vector3(0, 1, 0)
	return acc


# The canonical mesh data of what Godot holds: {"positions", "sizes", "corners", "slots", "uvs"}
# (flat Arrays; uvs null when no surface has UVs), ready for core/mesh_blob.gd encode.
static func read(mesh: Mesh) -> Dictionary:
	var topo = mesh.get_meta(META) if mesh.has_meta(META) else null
	if topo != null and topo.size() == mesh.get_surface_count():
		var tracked = _read_tracked(mesh, topo)
		if tracked != null:
			return tracked
	return _read_plain(mesh)


static func _read_tracked(mesh: Mesh, topo: Array):
	var has_uv = false
	for s in range(mesh.get_surface_count()):
		var a = arrays(mesh, s)
		if topo[s]["vertices"].size() != a[Mesh.ARRAY_VERTEX].size():
			return null  # the surface was rebuilt: its vertices are no longer the ones we track
		if topo[s]["slot"] >= 0 and a[Mesh.ARRAY_TEX_UV] != null and a[Mesh.ARRAY_TEX_UV].size() > 0:
			has_uv = true
	var positions = []  # per vertex id: [x, y, z] as Godot holds it
	var faces = {}  # face id -> Array of [slot, [vertex ids], [uv values]]
	var extra = []  # triangles past the tracked faces
	for s in range(mesh.get_surface_count()):
		var a = arrays(mesh, s)
		var t = topo[s]
		var verts = a[Mesh.ARRAY_VERTEX]
		var tex = a[Mesh.ARRAY_TEX_UV]
		var ids = []
		for k in range(verts.size()):
			ids.append(_place(positions, t["vertices"][k], verts[k]))
		if t["slot"] < 0:
			continue
		var tris = _triangles(a, verts.size())
		var cursor = 0
		for j in range(t["faces"].size()):
			var n = t["sizes"][j]
			var polys = []
			if cursor + n - 2 <= tris.size():
				polys = _unfan(_span(tris, cursor, cursor + n - 2))
			else:
				polys = _span(tris, cursor, tris.size())
			cursor += n - 2
			var out = []
			for g in polys:
				out.append(_face(t["slot"], g, ids, tex, has_uv))
			faces[t["faces"][j]] = out
		for k in range(cursor, tris.size()):
			extra.append(_face(t["slot"], tris[k], ids, tex, has_uv))
	var order = faces.keys()
	order.sort()
	var all = []  # appended one by one: Array += copies the whole array, quadratic over a mesh
	for f in order:
		for g in faces[f]:
			all.append(g)
	for g in extra:
		all.append(g)
	return _assemble(positions, all, has_uv)


# Godot's triangles of a surface as canonical (counter-clockwise) corner lists of surface indices.
static func _triangles(a: Array, count: int) -> Array:
	var idx = a[Mesh.ARRAY_INDEX]
	if idx == null or idx.size() == 0:
		idx = range(count)
	var out = []
	for i in range(0, idx.size() - 2, 3):
		out.append([idx[i], idx[i + 2], idx[i + 1]])
	return out


# Triangles (c0, ci, ci+1) back into the polygon (c0 … cn-1); anything else stays triangles.
static func _unfan(tris: Array) -> Array:
	var poly = [tris[0][0], tris[0][1], tris[0][2]]
	for i in range(1, tris.size()):
		if tris[i][0] != poly[0] or tris[i][1] != poly[poly.size() - 1]:
			return tris
		poly.append(tris[i][2])
	return [poly]


static func _span(items: Array, from: int, to: int) -> Array:
	var out = []
	for i in range(from, to):
		out.append(items[i])
	return out


# The id a held vertex gets: its tracked id, or a new one when another copy of that id holds a
# different position (the copies no longer agree: they are no longer one vertex).
static func _place(positions: Array, id: int, v: Vector3) -> int:
	while positions.size() <= id:
		positions.append(null)
	if positions[id] == null:
		positions[id] = v
		return id
	if positions[id] == v:
		return id
	positions.append(v)
	return positions.size() - 1


static func _face(slot: int, g: Array, ids: Array, tex, has_uv: bool) -> Array:
	var vs = []
	var uv = []
	for k in g:
		vs.append(ids[k])
		if has_uv:
			var t = tex[k] if tex != null and k < tex.size() else Vector2(0, 1)
			uv.append(t.x)
			uv.append(1.0 - t.y)
	return [slot, vs, uv]


static func _assemble(positions: Array, faces: Array, has_uv: bool) -> Dictionary:
	var flat = []
	for p in positions:
		var v = p if p != null else Vector3()  # a tracked vertex Godot no longer holds
		flat.append(v.x)
		flat.append(v.y)
		flat.append(v.z)
	var sizes = []
	var corners = []
	var slots = []
	var uvs = []
	for f in faces:
		slots.append(f[0])
		sizes.append(f[1].size())
		for c in f[1]:
			corners.append(c)
		for u in f[2]:
			uvs.append(u)
	return {"positions": flat, "sizes": sizes, "corners": corners, "slots": slots, "uvs": uvs if has_uv else null}


# A mesh made in Godot: each surface's vertices in order, its triangles as faces, slot = surface.
static func _read_plain(mesh: Mesh) -> Dictionary:
	var has_uv = false
	for s in range(mesh.get_surface_count()):
		var a = arrays(mesh, s)
		if primitive(mesh, s) == Mesh.PRIMITIVE_TRIANGLES and a[Mesh.ARRAY_TEX_UV] != null and a[Mesh.ARRAY_TEX_UV].size() > 0:
			has_uv = true
	var positions = []
	var faces = []
	for s in range(mesh.get_surface_count()):
		var a = arrays(mesh, s)
		var verts = a[Mesh.ARRAY_VERTEX]
		var ids = []
		for v in verts:
			ids.append(positions.size())
			positions.append(v)
		if primitive(mesh, s) != Mesh.PRIMITIVE_TRIANGLES:
			continue  # points and lines: their vertices travel, they have no faces
		for g in _triangles(a, verts.size()):
			faces.append(_face(s, g, ids, a[Mesh.ARRAY_TEX_UV], has_uv))
	return _assemble(positions, faces, has_uv)


# Godot 3 answers the primitive of ArrayMesh surfaces only; a PrimitiveMesh (BoxMesh, …) is triangles.
static func primitive(mesh: Mesh, s: int) -> int:
	return mesh.surface_get_primitive_type(s) if mesh.has_method("surface_get_primitive_type") else Mesh.PRIMITIVE_TRIANGLES


# A surface's arrays. A PrimitiveMesh (BoxMesh, …) has one surface, rebuilt by the renderer when
# its parameters change: its latest is read (Compat.primitive_arrays), since godot3-server's dummy
# renderer never clears a mesh and appends the rebuilt surface after the stale one.
static func arrays(mesh: Mesh, s: int) -> Array:
	return Compat.primitive_arrays(mesh) if mesh is PrimitiveMesh else mesh.surface_get_arrays(s)
