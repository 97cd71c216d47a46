# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/dock.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# The dock: URL, token, engine name, targets, connect / disconnect, and the adapter's status line.
@tool
extends VBoxContainer

const Compat = preload("res://addons/vibesync/compat.gd")

signal connect_requested(cfg)
signal disconnect_requested

var _url = LineEdit.new()
var _token = LineEdit.new()
var _name = LineEdit.new()
var _targets = LineEdit.new()
var _status = Label.new()


func _init():
	name = "VibeSync"
	_url.text = "ws://127.0.0.1:7420/adapter"
	_token.secret = true
	_name.text = "godot"
	_targets.placeholder_text = "blender, unity"
	for pair in [["URL", _url], ["Token", _token], ["Engine name", _name], ["Targets", _targets]]:
		var l = Label.new()
		l.text = pair[0]
		add_child(l)
		add_child(pair[1])
	var b = Button.new()
	b.text = "Connect"
	Compat.connect_signal(b, "pressed", self, "_pressed_connect")
	add_child(b)
	var d = Button.new()
	d.text = "Disconnect"
	Compat.connect_signal(d, "pressed", self, "emit_signal", ["disconnect_requested"])
	add_child(d)
	_status.text = "offline"
	Compat.wrap_label(_status)
	add_child(_status)


func config() -> Dictionary:
	var targets = []
	for t in _targets.text.split(",", false):
		targets.append(t.strip_edges())
	return {"url": _url.text.strip_edges(), "token": _token.text.strip_edges(), "name": _name.text.strip_edges(), "targets": targets}


func _pressed_connect() -> void:
	emit_signal("connect_requested", config())


func set_status(s: String) -> void:
	_status.text = s


func on_event(e: Dictionary) -> void:
	match e.get("event"):
		"state":
			set_status(e["state"] + (": " + e["error"] if e["error"] != "" else ""))
		"refused":
			set_status("refused: %s %s" % [e["code"], e["message"]])
		"tx_done":
			set_status("healthy · last transaction %s" % e["outcome"])
		"resync":
			set_status("healthy · resynced (%d objects)" % e["objects"])
