# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/tests/golden.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# godot3-server --path adapters/godot --script res://tests/golden.gd -- <vectors.json> [<mesh-vectors.json>]
# Computes every golden vector's canonical string and SHA-256 in GDScript and prints one line
#   VIBESYNC_GOLDEN <name-hex> <canonical-utf8-hex> <sha256>
# per vector; for each mesh vector (data/golden/mesh-vectors.json) one line
#   VIBESYNC_MESH <name-hex> <blob-hex> <sha256> <summary JSON> <re-encoded blob-hex> <held blob-hex>
# (the blob encoded from the input; its summary; the blob decoded, converted back to metres and
# encoded again; the blob of the ArrayMesh built from it, read back from Godot's surfaces); then VIBESYNC_DONE <count>. The vitest file compares them with the files byte for byte.
extends SceneTree

const C = preload("res://addons/vibesync/core/canonical.gd")
const Compat = preload("res://addons/vibesync/compat.gd")
const MeshBlob = preload("res://addons/vibesync/core/mesh_blob.gd")
const W = preload("res://addons/vibesync/core/wire_json.gd")
const MeshIO = preload("res://addons/vibesync/scene/mesh_io.gd")


func _init():
	var args = Compat.user_args()
	var parsed = _read_json(args[0] if args.size() > 0 else "")
	if parsed == null:
		quit(2)
		return
	var count = 0
	for v in parsed["value"]["vectors"]:
		var inp = v["input"]
		var canonical = ""
		match v["kind"]:
			"object":
				canonical = C.encode(C.object_form(inp))
			"material":
				canonical = C.encode(C.material_form(inp))
			"scene":
				canonical = C.scene_canonical(inp)
			"tx":
				canonical = C.tx_canonical(inp["objects"], inp["materials"])
			"geometry":
				canonical = C.geometry_canonical(inp["positions"], inp["faces"])
			_:
				canonical = "unknown kind " + str(v["kind"])
		print("VIBESYNC_GOLDEN ", str(v["name"]).to_utf8_buffer().hex_encode(), " ", canonical.to_utf8_buffer().hex_encode(), " ", C.sha256(canonical))
		count += 1
	if args.size() > 1:
		var meshes = _read_json(args[1])
		if meshes == null:
			quit(2)
			return
		for v in meshes["value"]["vectors"]:
			count += _mesh_vector(v)
	# the dock runs only in the editor; check here that it at least loads in this Godot
	var dock = load("res://addons/vibesync/dock.gd")
	print("VIBESYNC_DOCK_LOADS ", dock != null and dock.can_instantiate())
	print("VIBESYNC_DONE ", count)
	quit(0)


func _read_json(path: String):
	var text = Compat.read_text(path)
	if text == null:
		printerr("VIBESYNC_ERROR cannot read ", path)
		return null
	var parsed = Compat.json_parse(text)
	if not parsed["ok"]:
		printerr("VIBESYNC_ERROR bad JSON ", parsed["error"])
		return null
	return parsed


func _mesh_vector(v: Dictionary) -> int:
	var inp = v["input"]
	var enc = MeshBlob.encode(inp["positions"], inp["faceSizes"], inp["corners"], inp["slots"], inp["uvs"])
	if enc["code"] != "":
		print("VIBESYNC_MESH ", str(v["name"]).to_utf8_buffer().hex_encode(), " ", enc["code"], " - - -")
		return 1
	var blob = enc["bytes"]
	var d = MeshBlob.decode(blob)
	var again = MeshBlob.encode(MeshBlob.positions_metres(d), d["faceSizes"], d["corners"], d["slots"], MeshBlob.uvs_from_blob(d))
	var summary = W.stringify(MeshBlob.summary(blob))
	var r = MeshIO.read(MeshIO.build(d))
	var held = MeshBlob.encode(r["positions"], r["sizes"], r["corners"], r["slots"], r["uvs"])
	var fields = [str(v["name"]).to_utf8_buffer().hex_encode(), blob.hex_encode(), MeshBlob.sha256_hex(blob), summary]
	fields += [again["bytes"].hex_encode(), held["bytes"].hex_encode() if held["code"] == "" else held["error"].replace(" ", "_")]
	var line = "VIBESYNC_MESH"
	for f in fields:
		line += " " + f
	print(line)
	return 1
