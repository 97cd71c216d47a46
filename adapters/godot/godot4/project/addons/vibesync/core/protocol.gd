# Protocol v1 envelopes and the small pure rules around them (docs/protocol.md). No nodes, no I/O.
# The same file in the Godot 3 and 4 builds.

const Compat = preload("res://addons/vibesync/compat.gd")

const VERSION = 1
const CAPABILITIES = ["snapshot", "tx", "resync", "busy", "blobs", "live"]  # live: as a target (docs/adapters/godot.md)
const MAX_BLOB_QUERY = 4096
const HANDSHAKE_CAP = 64 * 1024
const FRAME_CAP = 8 * 1024 * 1024
const SNAPSHOT_CAP = 256 * 1024 * 1024
const MAX_BATCH = 5000
const TRANSIENT_BACKOFF_MS = [100, 400, 1600]

var session = null
var generation = 1
var _seq = 0
var _prefix = ""


func _init(gen := 1):
	generation = gen
	randomize()
	_prefix = "gd%08x" % (randi() & 0x7fffffff)


func next_id() -> String:
	_seq += 1
	return "%s-%d" % [_prefix, _seq]


func envelope(type: String, body: Dictionary) -> Dictionary:
	return {"v": VERSION, "id": next_id(), "session": session, "gen": generation, "ts": Compat.unix_ms(), "type": type, "body": body}


func handshake(token: String, name: String, version: String, roles: Array) -> Dictionary:
	session = null
	return envelope("handshake", {"token": token, "name": name, "engine": {"kind": "godot", "version": version}, "roles": roles, "capabilities": CAPABILITIES, "generation": generation})


# The cap a frame of this type must stay under (Frame size caps).
static func cap_for(type: String, handshaken: bool) -> int:
	if not handshaken:
		return HANDSHAKE_CAP
	return SNAPSHOT_CAP if type == "snapshot" else FRAME_CAP


# Mutation subject: ["object"|"material", id]
static func subject(m: Dictionary) -> Array:
	match m["op"]:
		"set_material":
			return ["material", m["materialId"]]
		"upsert_material":
			return ["material", m["material"]["id"]]
		"create":
			return ["object", m["object"]["id"]]
		_:
			return ["object", m["objectId"]]


# The mesh blob hashes some wire objects name (their meshes with `blob: true`).
static func object_blobs(objects: Array) -> Array:
	var out = []
	for o in objects:
		if o != null and o.get("mesh") != null and o["mesh"].get("blob", false) and not out.has(o["mesh"]["geometryHash"]):
			out.append(o["mesh"]["geometryHash"])
	return out


# ... and those some mutations name (create, or set_props with a mesh).
static func mutation_blobs(muts: Array) -> Array:
	var objects = []
	for m in muts:
		if m["op"] == "create":
			objects.append(m["object"])
		elif m["op"] == "set_props" and m["props"].get("mesh") != null:
			objects.append({"mesh": m["props"]["mesh"]})
	return object_blobs(objects)


# The texture blob hashes some wire materials name (their textures with `blob: true`).
static func material_blobs(materials: Array) -> Array:
	var out = []
	for m in materials:
		for t in m["textures"]:
			if t.get("blob", false) and not out.has(t["hash"]):
				out.append(t["hash"])
	return out
