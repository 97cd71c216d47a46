# The Godot 4.x half of the 3.x/4.x shim: the same names as addons/vibesync/compat.gd (the 3.x
# half, run on Godot 3.2.3), for Godot 4's API. The 4.x build takes this file in its place.
# NOT RUN: Godot 4 is not installable where this was built (see docs/adapters/godot.md); it is
# checked statically only (godot4/check.ts). Static functions only, no state.

const MAJOR = 4
const FLOAT_TYPE = TYPE_FLOAT
const PACKED_ARRAY_TYPES = [TYPE_PACKED_FLOAT32_ARRAY, TYPE_PACKED_FLOAT64_ARRAY, TYPE_PACKED_INT32_ARRAY, TYPE_PACKED_INT64_ARRAY, TYPE_PACKED_STRING_ARRAY]


# Concatenates an Array of Strings.
static func join(parts: Array) -> String:
	return "".join(PackedStringArray(parts))


# The nearest float32 (Godot 4's float is a double; a PackedFloat32Array stores 32 bits).
static func f32(x: float) -> float:
	return PackedFloat32Array([x])[0]


# The nearest float32 of each value.
static func f32_all(values) -> PackedFloat32Array:
	return PackedFloat32Array(values)


# The kind of packed array that holds int32s.
const INT32S_TYPE = TYPE_PACKED_INT32_ARRAY


# `count` copies of `value`, packed int32s.
static func int32s(count: int, value := 0) -> PackedInt32Array:
	var out = PackedInt32Array()
	out.resize(count)
	out.fill(value)
	return out


# Packed int32s of an Array of numbers (each truncated like int(); the caller checks the range first).
static func to_int32s(values) -> PackedInt32Array:
	return PackedInt32Array(values)


# The little-endian int32s in bytes[from, from + 4 * count).
static func int32s_from_bytes(bytes: PackedByteArray, from: int, count: int) -> PackedInt32Array:
	if count <= 0:
		return PackedInt32Array()
	return bytes.slice(from, from + 4 * count).to_int32_array()


# The raw little-endian bytes of packed int32s.
static func int32s_to_bytes(values: PackedInt32Array) -> PackedByteArray:
	return values.to_byte_array()


# Whether float32s hold a NaN (value by value: NaN is unequal to itself).
static func has_nan(floats: PackedFloat32Array) -> bool:
	for x in floats:
		if is_nan(x):
			return true
	return false


# The x, y, z of each vector, flat, as float32s (a single-precision build stores them so).
static func vector3s_to_floats(vectors: PackedVector3Array) -> PackedFloat32Array:
	return vectors.to_byte_array().to_float32_array()


# Every three float32s (x, y, z) as one vector; the reverse of vector3s_to_floats.
static func floats_to_vector3s(floats: PackedFloat32Array) -> PackedVector3Array:
	var out = PackedVector3Array()
	out.resize(floats.size() / 3)
	for i in range(out.size()):
		out[i] = Vector3(floats[3 * i], floats[3 * i + 1], floats[3 * i + 2])
	return out


# The x, y of each vector, flat, as float32s.
static func vector2s_to_floats(vectors: PackedVector2Array) -> PackedFloat32Array:
	return vectors.to_byte_array().to_float32_array()


# The Unicode code point at index i.
static func code_at(s: String, i: int) -> int:
	return s.unicode_at(i)


# {"ok": bool, "value": parsed or null, "error": "" or why}
static func json_parse(text: String) -> Dictionary:
	var json = JSON.new()
	if json.parse(text) != OK:
		return {"ok": false, "value": null, "error": "%s (line %d)" % [json.get_error_message(), json.get_error_line()]}
	return {"ok": true, "value": json.data, "error": ""}


static func connect_signal(source: Object, signal_name: String, target: Object, method: String, binds := []) -> int:
	return source.connect(signal_name, Callable(target, method).bindv(binds))


static func sort_custom(items: Array, target: Object, method: String) -> void:
	items.sort_custom(Callable(target, method))


# items[from, to) — Godot 3's Array.slice includes its end, Godot 4's does not.
static func slice(items: Array, from: int, to: int) -> Array:
	if to <= from:
		return []
	return items.slice(from, to)


# items[from], items[from + step], … to the end (Godot 3's Array.slice includes its end, Godot 4's does not).
static func strided(items: Array, from: int, step: int) -> Array:
	if from >= items.size():
		return []
	return items.slice(from, items.size(), step)


# bytes[from, to) as a new array (Godot 3's subarray includes its end; Godot 4's slice does not).
static func bytes_slice(bytes: PackedByteArray, from: int, to: int) -> PackedByteArray:
	if to <= from:
		return PackedByteArray()
	return bytes.slice(from, to)


# Adds a surface stored as given (Godot 4 compresses nothing unless asked; its 4th argument is the LODs).
static func add_surface(mesh: ArrayMesh, primitive: int, arrays: Array) -> void:
	mesh.add_surface_from_arrays(primitive, arrays)


# Milliseconds since the Unix epoch.
static func unix_ms() -> int:
	return int(Time.get_unix_time_from_system() * 1000.0)


static func wrap_label(label: Label) -> void:
	label.autowrap_mode = TextServer.AUTOWRAP_WORD_SMART


# The arguments after `--` on the command line.
static func user_args() -> Array:
	return Array(OS.get_cmdline_user_args())


# The whole file as text, or null when it cannot be read.
static func read_text(path: String):
	if not FileAccess.file_exists(path):
		return null
	var f = FileAccess.open(path, FileAccess.READ)
	if f == null:
		return null
	return f.get_as_text()


# The bytes of the file from `offset` to its end (empty when it is missing or has not grown).
static func read_from(path: String, offset: int) -> PackedByteArray:
	if not FileAccess.file_exists(path):
		return PackedByteArray()
	var f = FileAccess.open(path, FileAccess.READ)
	if f == null:
		return PackedByteArray()
	var size = f.get_length()
	if size <= offset:
		return PackedByteArray()
	f.seek(offset)
	return f.get_buffer(size - offset)


# An ImageTexture holding `img` (Godot 3 fills a new one; Godot 4 has a static constructor).
static func texture_from_image(img: Image) -> ImageTexture:
	return ImageTexture.create_from_image(img)


# The Image a texture holds, or null (Godot 3's get_data is Godot 4's get_image).
static func texture_image(tex) -> Image:
	return tex.get_image()


# The colour of pixel (x, y) as [r, g, b, a] (Godot 3 locks an Image to read it; Godot 4 does not).
static func pixel(img: Image, x: int, y: int) -> Array:
	var c = img.get_pixel(x, y)
	return [c.r, c.g, c.b, c.a]


# The arrays of a PrimitiveMesh's surface as the renderer last built it (its last surface there).
static func primitive_arrays(mesh: Mesh) -> Array:
	mesh.get_surface_count()  # rebuilds it when a parameter changed
	var rid = mesh.get_rid()
	return RenderingServer.mesh_surface_get_arrays(rid, RenderingServer.mesh_get_surface_count(rid) - 1)
