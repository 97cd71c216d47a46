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
extends Reference

const Compat = preload("res://addons/vibesync/compat.gd")
const MeshRead = preload("res://addons/vibesync/scene/mesh_read.gd")
const META = MeshRead.META


# d: a decoded blob (core/mesh_blob.gd decode). -> ArrayMesh
# A 1,000,000-vertex mesh has four million corners: GDScript's per-value work is the cost, so bulk
# conversions are native (Compat) and each loop does as little per corner as it can.
static func build(d: Dictionary) -> ArrayMesh:
	var nv = d["vertexCount"]
	var normals = _smooth_normals(d["positions"], nv, d["faceSizes"], d["corners"])
	var metres = _metres(d["positions"])
	var mesh = ArrayMesh.new()
	var topo = []
	var used = Compat.int32s(nv)  # 1 once a face uses the vertex
	for group in _faces_by_slot(d):
		var surface = _surface(group, nv, metres, normals, used)
		used = surface["used"]  # Godot 3's packed arrays are values: the updated copy comes back
		Compat.add_surface(mesh, Mesh.PRIMITIVE_TRIANGLES, surface["arrays"])
		topo.append(surface["topo"])
	if nv > 0 and Array(used).has(0):
		var loose = PoolVector3Array()
		var loose_ids = PoolIntArray()
		for vi in range(nv):
			if used[vi] == 0:
				loose.append(metres[vi])
				loose_ids.append(vi)
		var arrays = []
		arrays.resize(Mesh.ARRAY_MAX)
		arrays[Mesh.ARRAY_VERTEX] = loose
		Compat.add_surface(mesh, Mesh.PRIMITIVE_POINTS, arrays)
		topo.append({"slot": -1, "faces": PoolIntArray(), "sizes": PoolIntArray(), "vertices": loose_ids})
	mesh.set_meta(META, topo)
	return mesh


# The faces of each material slot, in slot order: [{"slot", "faces", "sizes", "corners" (vertex per
# corner), "uvs" (u, v per corner, or null)}]. One slot, the usual case, is the blob's own arrays.
static func _faces_by_slot(d: Dictionary) -> Array:
	var slots = d["slots"]
	var sizes = d["faceSizes"]
	var corners = d["corners"]
	var uvs = d["uvs"]
	var nf = sizes.size()
	if nf == 0:
		return []
	if slots == Compat.int32s(nf, slots[0]):  # compared natively
		return [{"slot": slots[0], "faces": PoolIntArray(range(nf)), "sizes": sizes, "corners": corners, "uvs": uvs}]
	var by_slot = {}  # slot -> its faces (an Array: appended to in place)
	var starts = PoolIntArray()  # per face: its first corner
	starts.resize(nf)
	var at = 0
	for f in range(nf):
		if not by_slot.has(slots[f]):
			by_slot[slots[f]] = []
		by_slot[slots[f]].append(f)
		starts[f] = at
		at += sizes[f]
	var keys = by_slot.keys()
	keys.sort()
	var out = []
	for s in keys:
		var faces = PoolIntArray(by_slot[s])
		var own_sizes = PoolIntArray()
		own_sizes.resize(faces.size())
		var n = 0
		for j in range(faces.size()):
			own_sizes[j] = sizes[faces[j]]
			n += own_sizes[j]
		var own_corners = PoolIntArray()
		own_corners.resize(n)
		var own_uvs = null
		if uvs != null:
			own_uvs = PoolIntArray()
			own_uvs.resize(2 * n)
		var w = 0
		for j in range(faces.size()):
			var c = starts[faces[j]]
			for k in range(own_sizes[j]):
				own_corners[w] = corners[c + k]
				if uvs != null:
					own_uvs[2 * w] = uvs[2 * (c + k)]
					own_uvs[2 * w + 1] = uvs[2 * (c + k) + 1]
				w += 1
		out.append({"slot": s, "faces": faces, "sizes": own_sizes, "corners": own_corners, "uvs": own_uvs})
	return out


# One slot's triangle surface. A vertex is split once per UV it is used with: the UV it is first
# used with is kept per vertex, any other in `seams`, so only a corner on a UV seam costs a
# Dictionary lookup. -> {"arrays", "topo" (its entry in the mesh's metadata), "used" (given, with
# its vertices marked)}
static func _surface(group: Dictionary, nv: int, metres: PoolVector3Array, normals: PoolVector3Array, used: PoolIntArray) -> Dictionary:
	var corners = group["corners"]
	var uvs = group["uvs"]
	var first = Compat.int32s(nv, -1)  # per vertex: its index in this surface, -1 until a corner uses it
	var ids = PoolIntArray()  # per surface vertex: the vertex it holds
	var from = PoolIntArray()  # per surface vertex: the corner that made it (its UV)
	var held = PoolIntArray()  # per corner: its surface vertex
	held.resize(corners.size())
	var c = 0
	if uvs == null:
		for vi in corners:
			var at = first[vi]
			if at < 0:
				at = ids.size()
				ids.append(vi)
				first[vi] = at
			held[c] = at
			c += 1
	else:
		var first_u = Compat.int32s(nv)
		var first_v = Compat.int32s(nv)
		var seams = {}  # "vertex u v" -> surface vertex
		var c2 = 0  # 2 * c
		for vi in corners:
			var at = first[vi]
			if at < 0:
				at = ids.size()
				ids.append(vi)
				from.append(c)
				first[vi] = at
				first_u[vi] = uvs[c2]
				first_v[vi] = uvs[c2 + 1]
			elif first_u[vi] != uvs[c2] or first_v[vi] != uvs[c2 + 1]:
				var key = "%d %d %d" % [vi, uvs[c2], uvs[c2 + 1]]
				at = seams.get(key, -1)
				if at < 0:
					at = ids.size()
					ids.append(vi)
					from.append(c)
					seams[key] = at
			held[c] = at
			c += 1
			c2 += 2
	var count = ids.size()
	var verts = PoolVector3Array()
	var norms = PoolVector3Array()
	var tex = PoolVector2Array()
	verts.resize(count)
	norms.resize(count)
	if uvs != null:
		tex.resize(count)
	for k in range(count):
		var vi = ids[k]
		verts[k] = metres[vi]
		norms[k] = normals[vi]
		used[vi] = 1
		if uvs != null:
			var uc = 2 * from[k]
			tex[k] = Vector2(uvs[uc] / 100000.0, 1.0 - uvs[uc + 1] / 100000.0)
	var arrays = []
	arrays.resize(Mesh.ARRAY_MAX)
	arrays[Mesh.ARRAY_VERTEX] = verts
	arrays[Mesh.ARRAY_NORMAL] = norms
	if uvs != null:
		arrays[Mesh.ARRAY_TEX_UV] = tex
	arrays[Mesh.ARRAY_INDEX] = _fans(held, group["sizes"])
	var entry = {"slot": group["slot"], "faces": group["faces"], "sizes": group["sizes"], "vertices": ids}
	return {"arrays": arrays, "topo": entry, "used": used}


# Each face as the fan (c0, ci, ci+1) from its first corner, written reversed (Godot's front faces are
# clockwise): index triples of surface vertices, `held` giving each corner's. Quads written out.
static func _fans(held: PoolIntArray, sizes) -> PoolIntArray:
	var index = PoolIntArray()
	index.resize(3 * (held.size() - 2 * sizes.size()))
	var w = 0
	var c = 0
	for n in sizes:
		var g0 = held[c]
		if n == 4:
			var g2 = held[c + 2]
			index[w] = g0
			index[w + 1] = g2
			index[w + 2] = held[c + 1]
			index[w + 3] = g0
			index[w + 4] = held[c + 3]
			index[w + 5] = g2
			w += 6
		else:
			var prev = held[c + 1]
			for k in range(2, n):
				var at = held[c + k]
				index[w] = g0
				index[w + 1] = at
				index[w + 2] = prev
				prev = at
				w += 3
		c += n
	return index


# Per vertex: q / 10000 (metres, a division: the nearest double), then the nearest float32, as
# Godot holds it; computed once per vertex, whatever its copies.
static func _metres(pos) -> PoolVector3Array:
	var m = []
	m.resize(pos.size())
	var i = 0
	for q in pos:
		m[i] = q / 10000.0
		i += 1
	return Compat.floats_to_vector3s(PoolRealArray(m))


# Per vertex: the normalised sum of the (area-weighted, Newell) normals of the faces that use it.
# A face's normal is summed edge after edge, (c0, c1) … (cn-1, c0), each term in doubles from the
# float32 grid position (as Vector3(q) holds it) and rounded to float32, and is added to its vertices
# in face order. Triangles and quads are written out, their coordinates read once into locals.
static func _smooth_normals(pos, nv: int, sizes, corners) -> PoolVector3Array:
	var p = Compat.floats_to_vector3s(PoolRealArray(Array(pos)))  # int -> float32, natively
	var blank = []
	blank.resize(nv)
	var acc = PoolVector3Array(blank)  # every entry Vector3()
	var at = 0
	for n in sizes:
		var a = corners[at]
		var b = corners[at + 1]
		var c = corners[at + 2]
		var pa = p[a]
		var pb = p[b]
		var pc = p[c]
		var xa = pa.x
		var ya = pa.y
		var za = pa.z
		var xb = pb.x
		var yb = pb.y
		var zb = pb.z
		var xc = pc.x
		var yc = pc.y
		var zc = pc.z
		var fnorm = Vector3() + Vector3((ya - yb) * (za + zb), (za - zb) * (xa + xb), (xa - xb) * (ya + yb))
		fnorm += Vector3((yb - yc) * (zb + zc), (zb - zc) * (xb + xc), (xb - xc) * (yb + yc))
		if n == 3:
			fnorm += Vector3((yc - ya) * (zc + za), (zc - za) * (xc + xa), (xc - xa) * (yc + ya))
			acc[a] += fnorm
			acc[b] += fnorm
			acc[c] += fnorm
		elif n == 4:
			var e = corners[at + 3]
			var pe = p[e]
			var xe = pe.x
			var ye = pe.y
			var ze = pe.z
			fnorm += Vector3((yc - ye) * (zc + ze), (zc - ze) * (xc + xe), (xc - xe) * (yc + ye))
			fnorm += Vector3((ye - ya) * (ze + za), (ze - za) * (xe + xa), (xe - xa) * (ye + ya))
			acc[a] += fnorm
			acc[b] += fnorm
			acc[c] += fnorm
			acc[e] += fnorm
		else:
			for k in range(3, n + 1):  # edges (c2, c3) … (cn-1, c0)
				var pd = p[corners[at + k]] if k < n else pa
				var xd = pd.x
				var yd = pd.y
				var zd = pd.z
				fnorm += Vector3((yc - yd) * (zc + zd), (zc - zd) * (xc + xd), (xc - xd) * (yc + yd))
				xc = xd
				yc = yd
				zc = zd
			for k in range(n):
				acc[corners[at + k]] += fnorm
		at += n
	for i in range(nv):
		var v = acc[i]
		acc[i] = v.normalized() if v.length_squared() > 0 else Vector3(0, 1, 0)
	return acc


# The canonical mesh data of what Godot holds (scene/mesh_read.gd).
static func read(mesh: Mesh, indexed := false) -> Dictionary:
	return MeshRead.read(mesh, indexed)


# A surface's primitive and arrays, as the read half takes them (scene/mesh_read.gd).
static func primitive(mesh: Mesh, s: int) -> int:
	return MeshRead.primitive(mesh, s)


static func arrays(mesh: Mesh, s: int) -> Array:
	return MeshRead.arrays(mesh, s)
