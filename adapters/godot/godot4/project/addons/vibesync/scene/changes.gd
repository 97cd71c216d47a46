# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/scene/changes.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# Cheap change detection for resources Godot edits in place (a Mesh's surfaces, a texture's image):
# a counter per resource, bumped by its `changed` signal, keyed by instance id (a replaced resource
# is a new key). Reading the counter costs a dictionary lookup, so a scan re-encodes only what changed.
extends RefCounted

const Compat = preload("res://addons/vibesync/compat.gd")

var _count = {}  # instance id -> `changed` signals seen since it was first asked about


# The resource's change counter; the first call starts counting.
func version(r) -> int:
	var key = r.get_instance_id()
	if not _count.has(key):
		_count[key] = 0
		Compat.connect_signal(r, "changed", self, "_on_changed", [key])
	return _count[key]


func _on_changed(key) -> void:
	_count[key] = _count.get(key, 0) + 1
