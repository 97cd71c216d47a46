# The canonical mesh blob ("VSM1", docs/protocol.md "Mesh blobs"), byte for byte the same as
# shared/canonical/mesh.ts and the Blender add-on's core/mesh.py (data/golden/mesh-vectors.json;
# tests/golden.gd checks it in godot3-server). Each value is rounded to float32, then quantised on
# the grid; a mesh's geometry hash is the SHA-256 of its blob. Pure: no nodes, no engine state.
# Written once for Godot 3 and 4: it names no version-specific API (compat.gd rounds to float32),
# so the 4.x build holds it byte for byte. GDScript has no exceptions:
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


# floor(f32(x) / step + 0.5) for every value; null when one is not finite or outside int32.
static func _quantised(values, step: float):
	var f = Compat.f32_all(values)  # the nearest float32 of each value, all at once
	var out = []
	out.resize(f.size())
	for i in range(f.size()):
		var x = f[i]
		if is_nan(x) or is_inf(x):
			return null
		var v = floor(x / step + 0.5)
		if v > INT32_MAX or v < -INT32_MAX:
			return null
		out[i] = int(v)
	return out


# positions: flat canonical x, y, z per vertex (metres, +Y up, object-local); face_sizes: corners per
# face; corners: vertex index per corner, face after face in each face's winding; slots: material
# slot per face (or null: all 0); uvs: flat u, v per corner (or null / empty: none).
# -> {"code": "", "bytes": packed bytes} or {"code", "error"}
static func encode(positions, face_sizes, corners, slots = null, uvs = null) -> Dictionary:
	if positions.size() % 3 != 0:
		return _fail("SCHEMA_VIOLATION", "%d position values are not whole x, y, z triples" % positions.size())
	var nv = positions.size() / 3
	var nf = face_sizes.size()
	var nc = corners.size()
	var total = 0
	for n in face_sizes:
		if int(n) < 3:
			return _fail("SCHEMA_VIOLATION", "a face has %d corners (at least 3)" % int(n))
		total += int(n)
	if total != nc:
		return _fail("SCHEMA_VIOLATION", "faces have %d corners in all but %d corner indices were given" % [total, nc])
	if slots != null and slots.size() != nf:
		return _fail("SCHEMA_VIOLATION", "%d material slots for %d faces" % [slots.size(), nf])
	var has_uv = uvs != null and uvs.size() > 0
	if has_uv and uvs.size() != 2 * nc:
		return _fail("SCHEMA_VIOLATION", "%d UV values for %d corners (two per corner)" % [uvs.size(), nc])
	var qp = _quantised(positions, STEP_POSITION)
	if qp == null:
		return _fail("NON_FINITE", "a position is not finite or outside what a mesh blob holds")
	var qu = []
	if has_uv:
		qu = _quantised(uvs, STEP_UV)
		if qu == null:
			return _fail("NON_FINITE", "a UV is not finite or outside what a mesh blob holds")
	var b = StreamPeerBuffer.new()  # little-endian unless told otherwise
	for c in MAGIC:
		b.put_u8(c)
	b.put_u32(nv)
	b.put_u32(nf)
	b.put_u32(nc)
	b.put_u32(FLAG_UV if has_uv else 0)
	for v in qp:
		b.put_32(v)
	for n in face_sizes:
		b.put_u32(int(n))
	for f in range(nf):
		var s = 0 if slots == null else int(slots[f])
		if s < 0 or s > MAX_SLOT:
			return _fail("SCHEMA_VIOLATION", "face %d has material slot %d (0-65535)" % [f, s])
		b.put_u32(s)
	for c in corners:
		var vi = int(c)
		if vi < 0 or vi >= nv:
			return _fail("SCHEMA_VIOLATION", "a corner names vertex %d of %d" % [vi, nv])
		b.put_u32(vi)
	for v in qu:
		b.put_32(v)
	return {"code": "", "bytes": b.data_array}


# A blob's integers, checked: {"code": "", "vertexCount", "faceCount", "positions", "faceSizes",
# "slots", "corners" (Arrays of int), "uvs" (Array or null)} or {"code", "error"}.
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
	d["positions"] = _ints(b, 3 * nv, true)
	d["faceSizes"] = _ints(b, nf, false)
	d["slots"] = _ints(b, nf, false)
	d["corners"] = _ints(b, nc, false)
	d["uvs"] = _ints(b, 2 * nc, true) if has_uv else null
	var total = 0
	for f in range(nf):
		if d["faceSizes"][f] < 3:
			return _fail("SCHEMA_VIOLATION", "face %d has %d corners" % [f, d["faceSizes"][f]])
		if d["slots"][f] > MAX_SLOT:
			return _fail("SCHEMA_VIOLATION", "face %d has material slot %d" % [f, d["slots"][f]])
		total += d["faceSizes"][f]
	if total != nc:
		return _fail("SCHEMA_VIOLATION", "faces have %d corners; the header says %d" % [total, nc])
	for c in d["corners"]:
		if c >= nv:
			return _fail("SCHEMA_VIOLATION", "a corner names vertex %d of %d" % [c, nv])
	return d


static func _ints(b: StreamPeerBuffer, n: int, signed: bool) -> Array:
	var out = []
	out.resize(n)
	for i in range(n):
		out[i] = b.get_32() if signed else b.get_u32()
	return out


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
		var qlo = [p[0], p[1], p[2]]
		var qhi = [p[0], p[1], p[2]]
		for i in range(0, p.size(), 3):
			for k in range(3):
				qlo[k] = min(qlo[k], p[i + k])
				qhi[k] = max(qhi[k], p[i + k])
		for k in range(3):
			lo[k] = qlo[k] / 10000.0
			hi[k] = qhi[k] / 10000.0
	return {
		"vertexCount": d["vertexCount"],
		"faceCount": d["faceCount"],
		"geometryHash": sha256_hex(bytes),
		"bounds": {"min": lo, "max": hi},
		"blob": true,
	}
