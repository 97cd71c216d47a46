# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/scene/mesh_read.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# What Godot holds as canonical mesh data (the export half of scene/mesh_io.gd, whose header says
# what is read back and how the metadata kept beside a mesh is checked). Engine layer: it reads
# ArrayMesh surfaces and nothing else. Kept apart from the import half (mesh_io.gd's build) by role:
# both run per corner on a 1,000,000-vertex mesh, and each is one file's worth.
extends RefCounted

const Compat = preload("res://addons/vibesync/compat.gd")
const MeshBlob = preload("res://addons/vibesync/core/mesh_blob.gd")
const META = "vibesync_topology"


# The canonical mesh data of what Godot holds: {"positions", "sizes", "corners", "slots", "uvs"}
# (flat: positions float32s, sizes, corners and slots packed int32s, uvs u, v per corner, an Array,
# or null when no surface has UVs), ready for core/mesh_blob.gd encode. `indexed`: uvs holds u, v
# per held vertex instead and "uvIndex" each corner's (encode's uv_index): the same blob, without a
# per-corner copy of every UV here and a per-corner quantisation in encode.
static func read(mesh: Mesh, indexed := false) -> Dictionary:
	var topo = mesh.get_meta(META) if mesh.has_meta(META) else null
	if topo != null and topo.size() == mesh.get_surface_count():
		var tracked = _read_tracked(mesh, topo, indexed)
		if tracked != null:
			return tracked
	return _read_plain(mesh, indexed)


static func _read_tracked(mesh: Mesh, topo: Array, indexed: bool):
	var has_uv = false
	var surfaces = []
	for s in range(mesh.get_surface_count()):
		var a = arrays(mesh, s)
		if topo[s]["vertices"].size() != a[Mesh.ARRAY_VERTEX].size():
			return null  # the surface was rebuilt: its vertices are no longer the ones we track
		if topo[s]["slot"] >= 0 and a[Mesh.ARRAY_TEX_UV] != null and a[Mesh.ARRAY_TEX_UV].size() > 0:
			has_uv = true
		surfaces.append(a)
	var positions = []  # per vertex id: the Vector3 Godot holds
	var parts = []
	for s in range(surfaces.size()):
		var a = surfaces[s]
		var t = topo[s]
		var ids = _place(positions, t["vertices"], a[Mesh.ARRAY_VERTEX])
		if t["slot"] >= 0:
			parts.append(_unfanned(t["slot"], t["faces"], t["sizes"], _triangles(a), ids, _uv_values(a, has_uv)))
	return _assemble(parts, PackedVector3Array(positions), has_uv, indexed)  # a vertex never held: Vector3()


# Godot's triangles of a surface: its index array, or 0, 1, 2, … when it has none.
static func _triangles(a: Array) -> PackedInt32Array:
	var idx = a[Mesh.ARRAY_INDEX]
	if idx == null or idx.size() == 0:
		return PackedInt32Array(range(a[Mesh.ARRAY_VERTEX].size()))
	return idx


# The ids the held vertices get, placed in `positions`: a vertex's tracked id, or a new one (the end
# of `positions`) when another copy of that id holds a different position (the copies no longer
# agree: they are no longer one vertex).
static func _place(positions: Array, tracked, verts) -> PackedInt32Array:
	var out = PackedInt32Array()
	out.resize(verts.size())
	for k in range(verts.size()):
		var id = tracked[k]
		var v = verts[k]
		if id >= positions.size():
			positions.resize(id + 1)  # new entries are null
		var held = positions[id]
		if held == null:
			positions[id] = v
		elif held != v:
			id = positions.size()
			positions.append(v)
		out[k] = id
	return out


# Per held vertex of a surface: u, 1 - v (the wire's v points up), flat; (0, 0) past the UVs it has;
# null when the mesh has no UVs.
static func _uv_values(a: Array, has_uv: bool):
	if not has_uv:
		return null
	var count = a[Mesh.ARRAY_VERTEX].size()
	var tex = a[Mesh.ARRAY_TEX_UV]
	var out = []
	if tex != null:
		out = Array(Compat.vector2s_to_floats(tex))  # x, y, x, y, … natively
		if out.size() > 2 * count:
			out.resize(2 * count)
	var held = out.size()
	out.resize(2 * count)
	for i in range(1, held, 2):
		out[i] = 1.0 - out[i]
	for i in range(held, 2 * count):
		out[i] = 0.0
	return out


# A triangle surface's faces, canonical: a tracked face of n corners is the next n - 2 triangles;
# while they form its fan (c0, ci, ci+1) they come out as the polygon (c0 … cn-1), else as triangles
# (counter-clockwise), and as nothing past the triangles held; the triangles after the tracked faces
# follow as faces of their own. Triangles and quads, nearly every face, are written out.
# -> {"slot", "faces" (tracked face ids), "ends" and "corner_ends" (per tracked face: the end of its
# faces in "sizes", of its corners in "corners"), "sizes", "corners" (vertex ids), "held" (per
# corner: the held vertex, whose UV it has), "uv" (the given u, v per held vertex, or null)}
static func _unfanned(slot: int, faces, face_sizes, idx: PackedInt32Array, ids: PackedInt32Array, uv) -> Dictionary:
	var ntris = idx.size() / 3
	var tracked = face_sizes.size()
	var ends = PackedInt32Array()
	ends.resize(tracked)
	var corner_ends = PackedInt32Array()
	corner_ends.resize(tracked)
	var sizes = PackedInt32Array()
	sizes.resize(ntris)  # every face takes a triangle at least, and has at most 3 corners per triangle
	var held = PackedInt32Array()  # corners as indices into the surface's vertices
	held.resize(3 * ntris)
	var nf = 0
	var w = 0
	var cursor = 0  # the next triangle
	for j in range(tracked):
		var n = face_sizes[j]
		var i = 3 * cursor
		cursor += n - 2
		var fan = cursor <= ntris
		if fan and n == 3:
			held[w] = idx[i]
			held[w + 1] = idx[i + 2]
			held[w + 2] = idx[i + 1]
		elif fan and n == 4:
			fan = idx[i + 3] == idx[i] and idx[i + 5] == idx[i + 1]
			if fan:
				held[w] = idx[i]
				held[w + 1] = idx[i + 2]
				held[w + 2] = idx[i + 1]
				held[w + 3] = idx[i + 4]
		elif fan:
			for t in range(i + 3, 3 * cursor, 3):
				if idx[t] != idx[i] or idx[t + 2] != idx[t - 2]:
					fan = false
					break
			if fan:
				held[w] = idx[i]
				held[w + 1] = idx[i + 2]
				for k in range(n - 2):
					held[w + 2 + k] = idx[i + 1 + 3 * k]
		if fan:
			sizes[nf] = n
			nf += 1
			w += n
		else:
			for t in range(i, 3 * (cursor if cursor < ntris else ntris), 3):
				sizes[nf] = 3
				nf += 1
				held[w] = idx[t]
				held[w + 1] = idx[t + 2]
				held[w + 2] = idx[t + 1]
				w += 3
		ends[j] = nf
		corner_ends[j] = w
	for t in range(3 * cursor, 3 * ntris, 3):
		sizes[nf] = 3
		nf += 1
		held[w] = idx[t]
		held[w + 1] = idx[t + 2]
		held[w + 2] = idx[t + 1]
		w += 3
	sizes.resize(nf)
	held.resize(w)
	var corners = PackedInt32Array()
	corners.resize(w)
	for x in range(w):
		corners[x] = ids[held[x]]
	return {"slot": slot, "faces": faces, "ends": ends, "corner_ends": corner_ends, "sizes": sizes, "corners": corners, "held": held, "uv": uv}


# The canonical mesh data of surfaces' faces (_unfanned) and the positions held: tracked faces in
# face id order (a face tracked twice, only in metadata edited by hand, as its last), then each
# surface's faces past them.
static func _assemble(parts: Array, positions: PackedVector3Array, has_uv: bool, indexed: bool) -> Dictionary:
	var out = {"positions": Compat.vector3s_to_floats(positions)}
	var uv = []  # u, v per held vertex of every triangle surface
	var uv_index = PackedInt32Array()  # per corner: its held vertex there
	if parts.size() == 1 and parts[0]["faces"] == PackedInt32Array(range(parts[0]["faces"].size())):
		var p = parts[0]  # one surface of faces 0, 1, 2, …: in the order they are written (the usual case)
		out["sizes"] = p["sizes"]
		out["corners"] = p["corners"]
		out["slots"] = Compat.int32s(p["sizes"].size(), p["slot"])
		uv = p["uv"]
		uv_index = p["held"]
	else:
		_gather(parts, out, has_uv)
		uv = out["uvs"]
		uv_index = out["uvIndex"]
	if not has_uv:
		out["uvs"] = null
		out.erase("uvIndex")
	elif indexed:
		out["uvs"] = uv
		out["uvIndex"] = uv_index
	else:
		out["uvs"] = MeshBlob.per_corner(uv, uv_index)
		out.erase("uvIndex")
	return out


# Several surfaces, or faces out of order: their faces copied into `out` in face id order, then the
# faces past the tracked ones; "uvs" the u, v of every surface's held vertices and "uvIndex" each
# corner's among them.
static func _gather(parts: Array, out: Dictionary, has_uv: bool) -> void:
	var spans = []  # [part index, first face, end face, first corner, end corner]
	for f in _face_order(parts):
		var p = parts[f[0]]
		var j = f[1]
		spans.append([f[0], p["ends"][j - 1] if j > 0 else 0, p["ends"][j], p["corner_ends"][j - 1] if j > 0 else 0, p["corner_ends"][j]])
	for i in range(parts.size()):
		var p = parts[i]
		var n = p["ends"].size()
		spans.append([i, p["ends"][n - 1] if n > 0 else 0, p["sizes"].size(), p["corner_ends"][n - 1] if n > 0 else 0, p["corners"].size()])
	var uv = []
	var base = []  # per part: where its held vertices' UVs start in uv
	for p in parts:
		base.append(uv.size() / 2)
		if has_uv:
			uv += p["uv"]  # once per surface
	var nf = 0
	var nc = 0
	for span in spans:
		nf += span[2] - span[1]
		nc += span[4] - span[3]
	var sizes = PackedInt32Array()
	sizes.resize(nf)
	var slots = PackedInt32Array()
	slots.resize(nf)
	var corners = PackedInt32Array()
	corners.resize(nc)
	var uv_index = PackedInt32Array()
	uv_index.resize(nc if has_uv else 0)
	var f = 0
	var c = 0
	for span in spans:
		var p = parts[span[0]]
		var own_sizes = p["sizes"]
		for i in range(span[1], span[2]):
			sizes[f] = own_sizes[i]
			slots[f] = p["slot"]
			f += 1
		var from = p["corners"]
		var held = p["held"]
		var at = base[span[0]]
		for i in range(span[3], span[4]):
			corners[c] = from[i]
			if has_uv:
				uv_index[c] = at + held[i]
			c += 1
	out["sizes"] = sizes
	out["corners"] = corners
	out["slots"] = slots
	out["uvs"] = uv
	out["uvIndex"] = uv_index


# [part index, tracked face] per face id, in id order; an id tracked twice keeps its last.
static func _face_order(parts: Array) -> Array:
	var where = {}
	for p in range(parts.size()):
		var faces = parts[p]["faces"]
		for j in range(faces.size()):
			where[faces[j]] = [p, j]
	var ids = where.keys()
	ids.sort()
	var out = []
	out.resize(ids.size())
	for i in range(ids.size()):
		out[i] = where[ids[i]]
	return out


# A mesh made in Godot: each surface's vertices in order, its triangles as faces, slot = surface.
static func _read_plain(mesh: Mesh, indexed: bool) -> Dictionary:
	var has_uv = false
	var surfaces = []
	for s in range(mesh.get_surface_count()):
		var a = arrays(mesh, s)
		if primitive(mesh, s) == Mesh.PRIMITIVE_TRIANGLES and a[Mesh.ARRAY_TEX_UV] != null and a[Mesh.ARRAY_TEX_UV].size() > 0:
			has_uv = true
		surfaces.append(a)
	var positions = PackedVector3Array()
	var parts = []
	for s in range(surfaces.size()):
		var a = surfaces[s]
		var verts = a[Mesh.ARRAY_VERTEX]
		var ids = PackedInt32Array(range(positions.size(), positions.size() + verts.size()))
		positions.append_array(verts)
		if primitive(mesh, s) == Mesh.PRIMITIVE_TRIANGLES:  # points and lines: their vertices travel, they have no faces
			parts.append(_unfanned(s, PackedInt32Array(), PackedInt32Array(), _triangles(a), ids, _uv_values(a, has_uv)))
	return _assemble(parts, positions, has_uv, indexed)


# Godot 3 answers the primitive of ArrayMesh surfaces only; a PrimitiveMesh (BoxMesh, …) is triangles.
static func primitive(mesh: Mesh, s: int) -> int:
	return mesh.surface_get_primitive_type(s) if mesh.has_method("surface_get_primitive_type") else Mesh.PRIMITIVE_TRIANGLES


# A surface's arrays. A PrimitiveMesh (BoxMesh, …) has one surface, rebuilt by the renderer when
# its parameters change: its latest is read (Compat.primitive_arrays), since godot3-server's dummy
# renderer never clears a mesh and appends the rebuilt surface after the stale one.
static func arrays(mesh: Mesh, s: int) -> Array:
	return Compat.primitive_arrays(mesh) if mesh is PrimitiveMesh else mesh.surface_get_arrays(s)
