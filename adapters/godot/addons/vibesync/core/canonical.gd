# Canonical forms and hashes (docs/protocol.md, "Hashes and canonical forms"). Pure: no nodes,
# no engine state; values in, strings and SHA-256 hex out. Must reproduce
# data/golden/canonical-vectors.json byte for byte (tests/golden.gd checks it in godot3-server).
# Written once for Godot 3 and 4: what differs goes through compat.gd, so the 4.x build holds this
# file byte for byte (no `extends`: both default to a reference-counted object).

const Compat = preload("res://addons/vibesync/compat.gd")

const STEP_POSITION = 1e-4
const STEP_SCALE = 1e-5
const STEP_ROTATION = 1e-6
const STEP_COLOR = 1e-4
const MAX_POSITION = 1e11
const MAX_SCALE = 1e10
const MAX_COLOR = 1e11
const MAX_QUAT = 1e6
const MIN_QUAT_LENGTH = 1e-6
# lights and cameras: intensity (W, W/m2) and angles (rad); their values are rounded to float32 first
const STEP_INTENSITY = 1e-4
const STEP_ANGLE = 1e-4


# q(x, step) = floor(x / step + 0.5) in doubles; -0 cannot occur in an int.
static func q(x: float, step: float) -> int:
	return int(floor(float(x) / step + 0.5))


# The nearest float32 (Compat.f32: through a 32-bit packed array in both Godot 3 and 4).
static func f32(x: float) -> float:
	return Compat.f32(x)


static func q32(x, step: float):
	return null if x == null else q(f32(float(x)), step)


static func light_form(l: Dictionary) -> Dictionary:
	var spot = null
	if l["spot"] != null:
		spot = [q32(l["spot"]["inner"], STEP_ANGLE), q32(l["spot"]["outer"], STEP_ANGLE)]
	var c = []
	for v in l["color"]:
		c.append(q32(v, STEP_COLOR))
	return {"c": c, "i": q32(l["intensity"], STEP_INTENSITY), "k": str(l["kind"]), "r": q32(l["range"], STEP_POSITION), "s": spot}


static func camera_form(c: Dictionary) -> Dictionary:
	return {
		"f": q32(c["far"], STEP_POSITION),
		"n": q32(c["near"], STEP_POSITION),
		"o": q32(c["orthoSize"], STEP_POSITION),
		"p": str(c["projection"]),
		"y": q32(c["yfov"], STEP_ANGLE),
	}


static func q_list(values, step: float) -> Array:
	var out = []
	for v in values:
		out.append(q(float(v), step))
	return out


# [x, y, z, w] -> unit length -> step 1e-6 -> fold q / -q on the first non-zero of w, x, y, z.
static func q_rotation(r) -> Array:
	var x = float(r[0])
	var y = float(r[1])
	var z = float(r[2])
	var w = float(r[3])
	var length = sqrt(x * x + y * y + z * z + w * w)
	var out = [q(x / length, STEP_ROTATION), q(y / length, STEP_ROTATION), q(z / length, STEP_ROTATION), q(w / length, STEP_ROTATION)]
	for i in [3, 0, 1, 2]:
		if out[i] != 0:
			if out[i] < 0:
				out = [-out[0], -out[1], -out[2], -out[3]]
			break
	return out


# A reason string when a value cannot be held by the canonical form (NON_FINITE), else "".
static func range_error(obj: Dictionary) -> String:
	var t = obj["transform"]
	for v in t["position"]:
		if is_nan(v) or is_inf(v) or abs(v) > MAX_POSITION:
			return "position %s out of range" % str(v)
	for v in t["scale"]:
		if is_nan(v) or is_inf(v) or abs(v) > MAX_SCALE:
			return "scale %s out of range" % str(v)
	var r = t["rotation"]
	for v in r:
		if is_nan(v) or is_inf(v) or abs(v) > MAX_QUAT:
			return "rotation component %s out of range" % str(v)
	var x = float(r[0])
	var y = float(r[1])
	var z = float(r[2])
	var w = float(r[3])
	if sqrt(x * x + y * y + z * z + w * w) < MIN_QUAT_LENGTH:
		return "quaternion length below 1e-6"
	return ""


static func object_form(o: Dictionary) -> Dictionary:
	var t = o["transform"]
	var mesh = null
	if o.get("mesh") != null:
		var m = o["mesh"]
		mesh = {
			"b": q_list(m["bounds"]["min"], STEP_POSITION) + q_list(m["bounds"]["max"], STEP_POSITION),
			"f": int(m["faceCount"]),
			"g": str(m["geometryHash"]),
			"v": int(m["vertexCount"]),
		}
	var form = {
		"id": str(o["id"]),
		"mat": o["materials"].duplicate(),
		"mesh": mesh,
		"name": str(o["name"]),
		"p": q_list(t["position"], STEP_POSITION),
		"parent": o["parent"],
		"r": q_rotation(t["rotation"]),
		"s": q_list(t["scale"], STEP_SCALE),
		"type": str(o["type"]),
	}
	# only on objects that carry them: older canonical forms stay byte-identical
	if o.get("light") != null:
		form["light"] = light_form(o["light"])
	if o.get("camera") != null:
		form["cam"] = camera_form(o["camera"])
	return form


# Stable, by slot name (no sort_custom: its callback differs between Godot 3 and 4).
static func _sorted_by_slot(items: Array) -> Array:
	var slots = []
	var by_slot = {}
	for it in items:
		if not by_slot.has(it["slot"]):
			by_slot[it["slot"]] = []
			slots.append(it["slot"])
		by_slot[it["slot"]].append(it)
	slots.sort()
	var out = []
	for s in slots:
		out += by_slot[s]
	return out


static func material_form(m: Dictionary) -> Dictionary:
	var tex = []
	for t in m["textures"]:
		tex.append({"h": int(t["height"]), "hash": str(t["hash"]), "slot": str(t["slot"]), "w": int(t["width"])})
	return {
		"c": q_list(m["baseColor"], STEP_COLOR),
		"id": str(m["id"]),
		"m": q(float(m["metallic"]), STEP_COLOR),
		"name": str(m["name"]),
		"r": q(float(m["roughness"]), STEP_COLOR),
		"tex": _sorted_by_slot(tex),
	}


static func sha256(s: String) -> String:
	return s.sha256_text()


static func object_hash(o: Dictionary) -> String:
	return sha256(encode(object_form(o)))


static func material_hash(m: Dictionary) -> String:
	return sha256(encode(material_form(m)))


static func _pairs(items: Array, hasher: String) -> Array:
	var ids = []
	var by_id = {}
	for it in items:
		ids.append(it["id"])
		by_id[it["id"]] = it
	ids.sort()
	var out = []
	for id in ids:
		var h = object_hash(by_id[id]) if hasher == "object" else material_hash(by_id[id])
		out.append([id, h])
	return out


static func scene_canonical(scene: Dictionary) -> String:
	return encode({"materials": _pairs(scene["materials"], "material"), "objects": _pairs(scene["objects"], "object")})


static func scene_hash(scene: Dictionary) -> String:
	return sha256(scene_canonical(scene))


# objects / materials: id -> wire object (or null when deleted), final state after the transaction.
static func tx_canonical(objects: Dictionary, materials: Dictionary) -> String:
	var o = {}
	for id in objects:
		o[id] = null if objects[id] == null else object_form(objects[id])
	var m = {}
	for id in materials:
		m[id] = null if materials[id] == null else material_form(materials[id])
	return encode({"materials": m, "objects": o})


static func tx_hash(objects: Dictionary, materials: Dictionary) -> String:
	return sha256(tx_canonical(objects, materials))


# positions: flat [x0, y0, z0, x1, ...] object-local metres; faces: Array of Arrays of indices.
static func geometry_canonical(positions, faces) -> String:
	var f = []
	for face in faces:
		var ff = []
		for i in face:
			ff.append(int(i))
		f.append(ff)
	return encode({"f": f, "v": q_list(positions, STEP_POSITION)})


static func geometry_hash(positions, faces) -> String:
	return sha256(geometry_canonical(positions, faces))


# ---- canonical JSON (RFC 8785 for integer-only documents) ----
static func encode(value) -> String:
	var parts = []  # an Array: packed arrays are passed by value
	_encode_into(value, parts)
	return Compat.join(parts)


static func _encode_into(value, parts: Array) -> void:
	var t = typeof(value)
	if t == TYPE_NIL:
		parts.append("null")
	elif t == TYPE_BOOL:
		parts.append("true" if value else "false")
	elif t == TYPE_INT:
		parts.append(str(value))
	elif t == Compat.FLOAT_TYPE:
		# only integers belong in a canonical document
		assert(value == floor(value))
		parts.append(str(int(value)))
	elif t == TYPE_STRING:
		parts.append(quote(value))
	elif t == TYPE_ARRAY:
		parts.append("[")
		var first = true
		for v in value:
			if not first:
				parts.append(",")
			first = false
			_encode_into(v, parts)
		parts.append("]")
	elif t == TYPE_DICTIONARY:
		var keys = value.keys()
		keys.sort()
		parts.append("{")
		var first = true
		for k in keys:
			if not first:
				parts.append(",")
			first = false
			parts.append(quote(k))
			parts.append(":")
			_encode_into(value[k], parts)
		parts.append("}")
	else:
		assert(false)


const HEX = "0123456789abcdef"


static func quote(s: String) -> String:
	var out = ["\""]
	var start = 0
	var n = s.length()
	for i in range(n):
		var c = Compat.code_at(s, i)
		var esc = ""
		if c == 34:
			esc = "\\\""
		elif c == 92:
			esc = "\\\\"
		elif c == 8:
			esc = "\\b"
		elif c == 9:
			esc = "\\t"
		elif c == 10:
			esc = "\\n"
		elif c == 12:
			esc = "\\f"
		elif c == 13:
			esc = "\\r"
		elif c < 32 or (c >= 0xD800 and c <= 0xDFFF):
			esc = "\\u%s%s%s%s" % [HEX[(c >> 12) & 15], HEX[(c >> 8) & 15], HEX[(c >> 4) & 15], HEX[c & 15]]
		else:
			continue
		if i > start:
			out.append(s.substr(start, i - start))
		out.append(esc)
		start = i + 1
	if n > start:
		out.append(s.substr(start, n - start))
	out.append("\"")
	return Compat.join(out)
