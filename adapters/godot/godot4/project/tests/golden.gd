# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/tests/golden.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# godot3-server --path adapters/godot --script res://tests/golden.gd -- <vectors.json>
# Computes every golden vector's canonical string and SHA-256 in GDScript and prints one line
#   VIBESYNC_GOLDEN <name-hex> <canonical-utf8-hex> <sha256>
# per vector, then VIBESYNC_DONE <count>. The vitest file compares them with the file byte for byte.
extends SceneTree

const C = preload("res://addons/vibesync/core/canonical.gd")
const Compat = preload("res://addons/vibesync/compat.gd")


func _init():
	var args = Compat.user_args()
	var path = args[args.size() - 1] if args.size() > 0 else ""
	var text = Compat.read_text(path)
	if text == null:
		printerr("VIBESYNC_ERROR cannot read ", path)
		quit(2)
		return
	var parsed = Compat.json_parse(text)
	if not parsed["ok"]:
		printerr("VIBESYNC_ERROR bad JSON ", parsed["error"])
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
	# the dock runs only in the editor; check here that it at least loads in this Godot
	var dock = load("res://addons/vibesync/dock.gd")
	print("VIBESYNC_DOCK_LOADS ", dock != null and dock.can_instantiate())
	print("VIBESYNC_DONE ", count)
	quit(0)
