# godot3-server --path adapters/godot --script res://tests/live_golden.gd -- <live-vectors.json>
# Reproduces data/golden/live-vectors.json in GDScript (core/live.gd). Per vector:
#   VIBESYNC_LIVE <name-hex> <bytes encoded from "frame", hex> <"hex" decoded, as JSON>
# per frame a reader must refuse:
#   VIBESYNC_LIVE_REFUSED <name-hex> <the reason, hex; "-" when it was read>
# then VIBESYNC_DONE <count>. The vitest file compares them with the file.
extends SceneTree

const Compat = preload("res://addons/vibesync/compat.gd")
const Live = preload("res://addons/vibesync/core/live.gd")
const W = preload("res://addons/vibesync/core/wire_json.gd")


func _init():
	var args = Compat.user_args()
	var text = Compat.read_text(args[0] if args.size() > 0 else "")
	var parsed = Compat.json_parse(text if text != null else "")
	if not parsed["ok"]:
		printerr("VIBESYNC_ERROR cannot read the vectors")
		quit(2)
		return
	var count = 0
	for v in parsed["value"]["vectors"]:
		var enc = Live.encode(int(v["frame"]["frame"]), v["frame"]["records"])
		var bytes = enc["bytes"].hex_encode() if enc.has("bytes") else "error:" + enc["error"].to_utf8().hex_encode()
		var dec = Live.decode(_unhex(v["hex"]))
		print("VIBESYNC_LIVE ", _name(v), " ", bytes, " ", W.stringify(dec))
		count += 1
	for v in parsed["value"]["invalid"]:
		var dec = Live.decode(_unhex(v["hex"]))
		print("VIBESYNC_LIVE_REFUSED ", _name(v), " ", dec["error"].to_utf8().hex_encode() if dec.has("error") else "-")
		count += 1
	print("VIBESYNC_DONE ", count)
	quit(0)


static func _name(v: Dictionary) -> String:
	return str(v["name"]).to_utf8().hex_encode()


static func _unhex(h: String):
	var b = StreamPeerBuffer.new()
	var digits = "0123456789abcdef"
	for i in range(0, h.length() - 1, 2):
		b.put_u8(digits.find(h[i]) * 16 + digits.find(h[i + 1]))
	return b.data_array
