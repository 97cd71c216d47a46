# Godot 3 stores transforms and colours in 32-bit floats and cannot hold what the wire describes
# exactly (nor mesh vertices behind a MeshSummary). When a wire value is applied, the engine-side
# reading right after applying ("a") and the wire value ("w") are recorded per component on the
# object's metadata. While the engine reading still equals "a" exactly, the wire value is reported;
# any real edit changes the reading and the fresh value is reported instead. So applied hashes
# round-trip exactly and real changes are still seen. Same rule as the Blender add-on's shadow.py.
# The same file in the Godot 3 and 4 builds.

const Compat = preload("res://addons/vibesync/compat.gd")
const META = "vibesync_shadow"


static func resolve(obj: Object, component: String, fresh):
	if not obj.has_meta(META):
		return fresh
	var entry = obj.get_meta(META).get(component)
	if entry != null and same(entry["a"], fresh):
		return entry["w"]
	return fresh


static func record(obj: Object, component: String, fresh, wire) -> void:
	var data = obj.get_meta(META) if obj.has_meta(META) else {}
	data = data.duplicate()
	data[component] = {"a": fresh, "w": wire}
	obj.set_meta(META, data)


static func same(a, b) -> bool:
	if typeof(a) == TYPE_ARRAY and typeof(b) == TYPE_ARRAY:
		if a.size() != b.size():
			return false
		for i in range(a.size()):
			if not same(a[i], b[i]):
				return false
		return true
	if (typeof(a) == Compat.FLOAT_TYPE or typeof(a) == TYPE_INT) and (typeof(b) == Compat.FLOAT_TYPE or typeof(b) == TYPE_INT):
		return float(a) == float(b)
	return typeof(a) == typeof(b) and a == b
