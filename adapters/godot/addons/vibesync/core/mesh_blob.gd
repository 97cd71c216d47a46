# The canonical mesh blob ("VSM1", docs/protocol.md "Mesh blobs"), byte for byte the same as
# shared/canonical/mesh.ts and the Blender add-on's core/mesh.py (data/golden/mesh-vectors.json;
# tests/golden.gd checks it in godot3-server). Each value is rounded to float32, then quantised on
# the grid; a mesh's geometry hash is the SHA-256 of its blob. Pure: no nodes, no engine state.
# Written once for Godot 3 and 4: it names no version-specific API (compat.gd rounds to float32 and
# turns bytes into packed int32s and back), so the 4.x build holds it byte for byte. A big mesh's
# sections are converted and range-checked natively; GDScript loops over its values only to
# quantise them. GDScript has no exceptions:
# encode / decode answer a Dictionary whose "code" is "" or the protocol error code, "error" why.

const Compat = preload("res://addons/vibesync/compat.gd")

const MAGIC = [86, 83, 77, 49]  # "VSM1"
const HEADER_BYTES = 20
const FLAG_UV = 1
const STEP_POSITION = 1e-4
const STEP_UV = 1e-5
const INT32_MAX = 2147483647
const MAX_SLOT = 65535


static func _fail(code: String, why: String) -> Dictionary:
	return {"code": code, "error": "mesh: " + why}


# floor(f32(x) / step + 0.5) for every value, as packed int32s; null when one is not finite or
# outside int32. The quantisation is monotonic, so when the least and the greatest value (found
# natively) are in range, every value is, and the loop checks nothing; else each value is checked
# (one test catches all three: NaN fails both comparisons, an infinity one of them).
static func _quantised(values, step: float):
	var f = Compat.f32_all(values)  # the nearest float32 of each value, all at once
	var out = Compat.int32s(f.size())
	var i = 0
	if f.size() > 0 and not Compat.has_nan(f):
		var all = Array(f)
		if floor(all.min() / step + 0.5) >= -INT32_MAX and floor(all.max() / step + 0.5) <= INT32_MAX:
			for x in f:
				out[i] = floor(x / step + 0.5)  # a whole number within int32: stored exactly
				i += 1
			return out
	for x in f:
		var v = floor(x / step + 0.5)
		if not (v <= INT32_MAX and v >= -INT32_MAX):
			return null
		out[i] = v
		i += 1
	return out


# The quantised u, v of each corner from its UV's (uv_index: the UV of each corner); null when one
# is not finite or out of range. A UV no corner uses does not count: when one fails, the corners'
# own values are checked.
static func _quantised_indexed(uvs, uv_index):
	var q = _quantised(uvs, STEP_UV)
	if q == null:
		return _quantised(per_corner(uvs, uv_index), STEP_UV)
	return _by_corner(q, uv_index, Compat.int32s(2 * uv_index.size()))


# u, v per corner (an Array) from u, v per UV and the UV of each corner.
static func per_corner(uvs, uv_index) -> Array:
	var out = []
	out.resize(2 * uv_index.size())
	return _by_corner(uvs, uv_index, out)


# Fills out (an Array or packed int32s, 2 per corner) with the u, v of each corner's UV; returns it
# (a packed array is a value in GDScript: the filled one is the one returned).
static func _by_corner(values, uv_index, out):
	var i = 0
	for k in uv_index:
		out[i] = values[2 * k]
		out[i + 1] = values[2 * k + 1]
		i += 2
	return out


# A blob section's integers as packed int32s, each in [lo, hi]. Packed int32s (decode's, MeshIO.read's)
# are checked natively and taken as they are; anything else, or packed int32s out of range, goes value
# by value through int(), in order, so the value named is the one a check one by one names.
# -> packed int32s, or the index of the first value out of range
static func _checked(values, lo: int, hi: int):
	if typeof(values) == Compat.INT32S_TYPE:
		if values.size() == 0:
			return values
		var b = _bounds(values)
		if b[0] >= lo and b[1] <= hi:
			return values
	var out = []
	out.resize(values.size())
	for i in range(values.size()):
		var v = int(values[i])
		if v < lo or v > hi:
			return i
		out[i] = v
	return Compat.to_int32s(out)


# [min, max] of packed int32s, natively: all alike (one slot, all quads) is one comparison with a
# filled array, else Array's min and max.
static func _bounds(ints) -> Array:
	if ints.size() > 0 and ints == Compat.int32s(ints.size(), ints[0]):
		return [ints[0], ints[0]]
	var a = Array(ints)
	return [a.min(), a.max()]


# positions: flat canonical x, y, z per vertex (metres, +Y up, object-local); face_sizes: corners per
# face; corners: vertex index per corner, face after face in each face's winding; slots: material
# slot per face (or null: all 0); uvs: flat u, v per corner (or null / empty: none), or, with
# uv_index (the UV of each corner, an index into them), flat u, v per UV: the same blob, quantised
# once per UV instead of once per corner (MeshIO.read's UVs are Godot's, one per held vertex).
# Arrays or packed arrays; packed int32s are range-checked natively.
# -> {"code": "", "bytes": packed bytes} or {"code", "error"}
static func encode(positions, face_sizes, corners, slots = null, uvs = null, uv_index = null) -> Dictionary:
	if positions.size() % 3 != 0:
		return _fail("SCHEMA_VIOLATION", "%d position values are not whole x, y, z triples" % positions.size())
	var nv = positions.size() / 3
	var nf = face_sizes.size()
	var nc = corners.size()
	var total = -1
	if typeof(face_sizes) == Compat.INT32S_TYPE and nf > 0 and face_sizes[0] >= 3:
		if face_sizes == Compat.int32s(nf, face_sizes[0]):  # compared natively
			total = face_sizes[0] * nf  # all faces alike (all triangles, all quads): no sum to take
	if total < 0:
		total = 0
		for n in face_sizes:
			if int(n) < 3:
				return _fail("SCHEMA_VIOLATION", "a face has %d corners (at least 3)" % int(n))
			total += int(n)
	if total != nc:
		return _fail("SCHEMA_VIOLATION", "faces have %d corners in all but %d corner indices were given" % [total, nc])
	if slots != null and slots.size() != nf:
		return _fail("SCHEMA_VIOLATION", "%d material slots for %d faces" % [slots.size(), nf])
	var uv_count = 0 if uvs == null else (uvs.size() if uv_index == null else 2 * uv_index.size())
	var has_uv = uv_count > 0
	if has_uv and uv_count != 2 * nc:
		return _fail("SCHEMA_VIOLATION", "%d UV values for %d corners (two per corner)" % [uv_count, nc])
	var qp = _quantised(positions, STEP_POSITION)
	if qp == null:
		return _fail("NON_FINITE", "a position is not finite or outside what a mesh blob holds")
	var qu = null
	if has_uv:
		qu = _quantised(uvs, STEP_UV) if uv_index == null else _quantised_indexed(uvs, uv_index)
		if qu == null:
			return _fail("NON_FINITE", "a UV is not finite or outside what a mesh blob holds")
	var sizes = Compat.to_int32s(face_sizes)  # each at least 3 and at most nc: int32s as they are
	var qs = Compat.int32s(nf) if slots == null else _checked(slots, 0, MAX_SLOT)
	if typeof(qs) == TYPE_INT:
		return _fail("SCHEMA_VIOLATION", "face %d has material slot %d (0-65535)" % [qs, int(slots[qs])])
	var qc = _checked(corners, 0, nv - 1)
	if typeof(qc) == TYPE_INT:
		return _fail("SCHEMA_VIOLATION", "a corner names vertex %d of %d" % [int(corners[qc]), nv])
	var b = StreamPeerBuffer.new()  # little-endian unless told otherwise
	for c in MAGIC:
		b.put_u8(c)
	b.put_u32(nv)
	b.put_u32(nf)
	b.put_u32(nc)
	b.put_u32(FLAG_UV if has_uv else 0)
	var out = b.data_array
	for part in [qp, sizes, qs, qc]:
		out.append_array(Compat.int32s_to_bytes(part))
	if has_uv:
		out.append_array(Compat.int32s_to_bytes(qu))
	return {"code": "", "bytes": out}


# A blob's integers, checked: {"code": "", "vertexCount", "faceCount", "positions", "faceSizes",
# "slots", "corners" (packed int32s), "uvs" (packed int32s or null)} or {"code", "error"}. Each
# section is read natively (Compat.int32s_from_bytes) and checked natively; only a blob that fails
# is checked again value by value, for the exact error.
static func decode(bytes) -> Dictionary:
	if bytes.size() < HEADER_BYTES:
		return _fail("SCHEMA_VIOLATION", "blob of %d bytes is shorter than the header" % bytes.size())
	for i in range(4):
		if bytes[i] != MAGIC[i]:
			return _fail("SCHEMA_VIOLATION", "blob does not start with \"VSM1\"")
	var b = StreamPeerBuffer.new()
	b.data_array = bytes
	b.seek(4)
	var nv = b.get_u32()
	var nf = b.get_u32()
	var nc = b.get_u32()
	var flags = b.get_u32()
	if flags & ~FLAG_UV:
		return _fail("SCHEMA_VIOLATION", "unknown flags %d" % flags)
	var has_uv = (flags & FLAG_UV) != 0
	var want = HEADER_BYTES + 4 * (3 * nv + 2 * nf + nc + (2 * nc if has_uv else 0))
	if bytes.size() != want:
		return _fail("SCHEMA_VIOLATION", "blob is %d bytes; its header says %d" % [bytes.size(), want])
	var d = {"code": "", "vertexCount": nv, "faceCount": nf}
	var at = HEADER_BYTES
	d["positions"] = Compat.int32s_from_bytes(bytes, at, 3 * nv)
	at += 12 * nv
	d["faceSizes"] = Compat.int32s_from_bytes(bytes, at, nf)
	at += 4 * nf
	d["slots"] = Compat.int32s_from_bytes(bytes, at, nf)
	at += 4 * nf
	d["corners"] = Compat.int32s_from_bytes(bytes, at, nc)
	at += 4 * nc
	d["uvs"] = Compat.int32s_from_bytes(bytes, at, 2 * nc) if has_uv else null
	if not _sound(d, nv, nf, nc):
		return _first_fault(d, nv, nf, nc)
	return d


# True when every face has at least 3 corners and a slot within 0-65535, the sizes add up to nc and
# every corner names a vertex below nv, checked natively. Unsigned fields are read as int32s: one
# of 2^31 or more reads negative and fails here.
static func _sound(d: Dictionary, nv: int, nf: int, nc: int) -> bool:
	if nf > 0:
		var sizes = _bounds(d["faceSizes"])
		var slots = _bounds(d["slots"])
		if sizes[0] < 3 or slots[0] < 0 or slots[1] > MAX_SLOT:
			return false
		var total = sizes[0] * nf  # all faces alike (all triangles, all quads): no sum to take
		if sizes[0] != sizes[1]:
			total = 0
			for n in d["faceSizes"]:
				total += n
		if total != nc:
			return false
	elif nc != 0:
		return false
	if nc > 0:
		var corners = _bounds(d["corners"])
		if corners[0] < 0 or corners[1] >= nv:
			return false
	return true


# The first fault of a blob that is not sound, found value by value in the order of the checks,
# its unsigned fields as unsigned.
static func _first_fault(d: Dictionary, nv: int, nf: int, nc: int) -> Dictionary:
	var total = 0
	for f in range(nf):
		var n = _unsigned(d["faceSizes"][f])
		if n < 3:
			return _fail("SCHEMA_VIOLATION", "face %d has %d corners" % [f, n])
		var s = _unsigned(d["slots"][f])
		if s > MAX_SLOT:
			return _fail("SCHEMA_VIOLATION", "face %d has material slot %d" % [f, s])
		total += n
	if total != nc:
		return _fail("SCHEMA_VIOLATION", "faces have %d corners; the header says %d" % [total, nc])
	for c in d["corners"]:
		if _unsigned(c) >= nv:
			return _fail("SCHEMA_VIOLATION", "a corner names vertex %d of %d" % [_unsigned(c), nv])
	return d


static func _unsigned(v: int) -> int:
	return v + 4294967296 if v < 0 else v


# Metres from the grid: q / 10000, a division (the nearest double to the grid point).
static func positions_metres(d: Dictionary) -> Array:
	var out = []
	out.resize(d["positions"].size())
	for i in range(out.size()):
		out[i] = d["positions"][i] / 10000.0
	return out


static func uvs_from_blob(d: Dictionary):
	if d["uvs"] == null:
		return null
	var out = []
	out.resize(d["uvs"].size())
	for i in range(out.size()):
		out[i] = d["uvs"][i] / 100000.0
	return out


# The SHA-256 of bytes, 64 lowercase hex digits.
static func sha256_hex(bytes) -> String:
	var ctx = HashingContext.new()
	ctx.start(HashingContext.HASH_SHA256)
	ctx.update(bytes)
	return ctx.finish().hex_encode()


# The wire MeshSummary of a blob: geometryHash is the blob's SHA-256, counts and bounds from its grid.
static func summary(bytes) -> Dictionary:
	var d = decode(bytes)
	if d["code"] != "":
		return d
	var lo = [0.0, 0.0, 0.0]
	var hi = [0.0, 0.0, 0.0]
	var p = d["positions"]
	if p.size() > 0:
		var flat = Array(p)
		for k in range(3):
			var axis = Compat.strided(flat, k, 3)  # natively, one axis at a time
			lo[k] = axis.min() / 10000.0
			hi[k] = axis.max() / 10000.0
	return {
		"vertexCount": d["vertexCount"],
		"faceCount": d["faceCount"],
		"geometryHash": sha256_hex(bytes),
		"bounds": {"min": lo, "max": hi},
		"blob": true,
	}
