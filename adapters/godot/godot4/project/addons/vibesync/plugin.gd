# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/plugin.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# Editor plugin: a dock with URL, token, engine name, targets and the connection status, and the
# adapter node bound to the edited scene's root. A scene change is a reload: busy while it loads,
# then a new connection with generation + 1 (docs/protocol.md, Reload).
# Not run in CI: godot3-server has no editor; the adapter it drives is (tests/run_adapter.gd).
@tool
extends EditorPlugin

const Adapter = preload("res://addons/vibesync/adapter.gd")
const Dock = preload("res://addons/vibesync/dock.gd")
const Compat = preload("res://addons/vibesync/compat.gd")

var adapter
var dock
var _generation = 1


func _enter_tree():
	dock = Dock.new()
	Compat.connect_signal(dock, "connect_requested", self, "_on_connect")
	Compat.connect_signal(dock, "disconnect_requested", self, "_on_disconnect")
	add_control_to_dock(DOCK_SLOT_RIGHT_UL, dock)
	Compat.connect_signal(self, "scene_changed", self, "_on_scene_changed")


func _exit_tree():
	_on_disconnect()
	remove_control_from_docks(dock)
	dock.queue_free()


func _on_connect(cfg: Dictionary) -> void:
	_on_disconnect()
	var root = get_editor_interface().get_edited_scene_root()
	if not (root is Node3D):
		dock.set_status("open a 3D scene (a Node3D root) first")
		return
	adapter = Adapter.new()
	adapter.setup(root, _generation)
	adapter.url = cfg["url"]
	adapter.token = cfg["token"]
	adapter.engine_name = cfg["name"]
	adapter.targets = cfg["targets"]
	Compat.connect_signal(adapter, "event", dock, "on_event")
	add_child(adapter)
	adapter.start()


func _on_disconnect() -> void:
	if adapter != null:
		adapter.stop()
		adapter.queue_free()
		adapter = null


func _on_scene_changed(root) -> void:
	if adapter == null:
		return
	adapter.busy("loading", 5000)
	_generation += 1
	var cfg = dock.config()
	_on_connect(cfg)
