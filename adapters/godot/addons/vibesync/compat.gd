# The Godot 3.x half of the 3.x/4.x shim. Every call whose shape differs between Godot 3 and 4 goes
# through here; godot4/overlay/addons/vibesync/compat.gd is the 4.x twin with the same names.
# Plain renames (Spatial -> Node3D, .translation -> .position, ...) and syntax (tool -> @tool,
# yield -> await, ...) are not here: godot4/rewrite.ts applies them when it generates the 4.x build.
# Static functions only, no state.

const MAJOR = 3
const FLOAT_TYPE = TYPE_REAL
const PACKED_ARRAY_TYPES = [TYPE_REAL_ARRAY, TYPE_INT_ARRAY, TYPE_STRING_ARRAY]


# Concatenates an Array of Strings.
static func join(parts: Array) -> String:
	return PoolStringArray(parts).join("")


# The nearest float32: a PoolRealArray holds real_t, 32 bits in Godot 3's standard builds.
static func f32(x: float) -> float:
	return PoolRealArray([float(x)])[0]


# The nearest float32 of each value (a PoolRealArray holds real_t, 32 bits in standard builds).
static func f32_all(values) -> PoolRealArray:
	return PoolRealArray(values)


# The kind of packed array that holds int32s (TYPE_INT_ARRAY: a PoolIntArray).
const INT32S_TYPE = TYPE_INT_ARRAY


# `count` copies of `value`, packed int32s. Godot 3's resize leaves new ints uninitialised and it has
# no fill: the array is doubled from one value instead (a few native copies).
static func int32s(count: int, value := 0) -> PoolIntArray:
	var out = PoolIntArray([value])
	while out.size() < count:
		out.append_array(out)
	out.resize(count)
	return out


# Packed int32s of an Array of numbers (each truncated like int(); the caller checks the range first).
static func to_int32s(values) -> PoolIntArray:
	return PoolIntArray(values)


# The little-endian int32s in bytes[from, from + 4 * count). Godot 3 has no direct conversion:
# bytes2var reads the encoding of a PoolIntArray, an 8-byte header (the variant type, then the
# element count, each a little-endian uint32) and then the raw values, all in native code.
static func int32s_from_bytes(bytes: PoolByteArray, from: int, count: int) -> PoolIntArray:
	if count <= 0:
		return PoolIntArray()
	var header = StreamPeerBuffer.new()  # little-endian
	header.put_u32(TYPE_INT_ARRAY)
	header.put_u32(count)
	var data = header.data_array
	data.append_array(bytes.subarray(from, from + 4 * count - 1))
	return bytes2var(data)


# The raw little-endian bytes of packed int32s: var2bytes without its 8-byte header.
static func int32s_to_bytes(values: PoolIntArray) -> PoolByteArray:
	if values.size() == 0:
		return PoolByteArray()
	var data = var2bytes(values)
	return data.subarray(8, data.size() - 1)


# Whether float32s hold a NaN: NaN is unequal to itself, and Godot 3 compares packed arrays value by
# value (natively).
static func has_nan(floats: PoolRealArray) -> bool:
	return floats != floats


# The x, y, z of each vector, flat, as float32s: var2bytes writes a PoolVector3Array as float32s
# after an 8-byte header, which bytes2var reads back as a PoolRealArray under that type's header.
static func vector3s_to_floats(vectors: PoolVector3Array) -> PoolRealArray:
	return _retyped(vectors, TYPE_REAL_ARRAY, 3 * vectors.size())


# Every three float32s (x, y, z) as one vector; the reverse of vector3s_to_floats.
static func floats_to_vector3s(floats: PoolRealArray) -> PoolVector3Array:
	return _retyped(floats, TYPE_VECTOR3_ARRAY, floats.size() / 3)


# The x, y of each vector, flat, as float32s.
static func vector2s_to_floats(vectors: PoolVector2Array) -> PoolRealArray:
	return _retyped(vectors, TYPE_REAL_ARRAY, 2 * vectors.size())


# A packed array of float32s (or float32 vectors) read as another such type: the same raw values
# under a new header (variant type, element count).
static func _retyped(packed, type: int, count: int):
	var data = var2bytes(packed)
	var header = StreamPeerBuffer.new()
	header.put_u32(type)
	header.put_u32(count)
	var out = header.data_array
	if data.size() > 8:
		out.append_array(data.subarray(8, data.size() - 1))
	return bytes2var(out)


# The Unicode code point at index i.
static func code_at(s: String, i: int) -> int:
	return s.ord_at(i)


# {"ok": bool, "value": parsed or null, "error": "" or why}
static func json_parse(text: String) -> Dictionary:
	var r = JSON.parse(text)
	if r.error != OK:
		return {"ok": false, "value": null, "error": "%s (line %d)" % [r.error_string, r.error_line]}
	return {"ok": true, "value": r.result, "error": ""}


static func connect_signal(source: Object, signal_name: String, target: Object, method: String, binds := []) -> int:
	return source.connect(signal_name, target, method, binds)


static func sort_custom(items: Array, target: Object, method: String) -> void:
	items.sort_custom(target, method)


# items[from, to) — Godot 3's Array.slice includes its end, Godot 4's does not.
static func slice(items: Array, from: int, to: int) -> Array:
	if to <= from:
		return []
	return items.slice(from, to - 1)


# items[from], items[from + step], … to the end (Godot 3's Array.slice includes its end, Godot 4's does not).
static func strided(items: Array, from: int, step: int) -> Array:
	if from >= items.size():
		return []
	return items.slice(from, items.size() - 1, step)


# bytes[from, to) as a new array (Godot 3's subarray includes its end; Godot 4's slice does not).
static func bytes_slice(bytes: PoolByteArray, from: int, to: int) -> PoolByteArray:
	if to <= from:
		return PoolByteArray()
	return bytes.subarray(from, to - 1)


# Adds a surface stored as given: Godot 3 compresses UVs to half floats by default (its compress
# flags are the 4th argument; Godot 4's 4th is the LODs and it compresses nothing by default).
static func add_surface(mesh: ArrayMesh, primitive: int, arrays: Array) -> void:
	mesh.add_surface_from_arrays(primitive, arrays, [], Mesh.ARRAY_COMPRESS_NORMAL)


# Milliseconds since the Unix epoch.
static func unix_ms() -> int:
	return OS.get_unix_time() * 1000 + OS.get_ticks_msec() % 1000


static func wrap_label(label: Label) -> void:
	label.autowrap = true


# The arguments after `--` on the command line.
static func user_args() -> Array:
	var args = Array(OS.get_cmdline_args())
	var at = args.find("--")
	return args.slice(at + 1, args.size() - 1) if at >= 0 and at < args.size() - 1 else []


# The whole file as text, or null when it cannot be read.
static func read_text(path: String):
	var f = File.new()
	if f.open(path, File.READ) != OK:
		return null
	var text = f.get_as_text()
	f.close()
	return text


# The bytes of the file from `offset` to its end (empty when it is missing or has not grown).
static func read_from(path: String, offset: int) -> PoolByteArray:
	var f = File.new()
	if not f.file_exists(path) or f.open(path, File.READ) != OK:
		return PoolByteArray()
	var size = f.get_len()
	var out = PoolByteArray()
	if size > offset:
		f.seek(offset)
		out = f.get_buffer(size - offset)
	f.close()
	return out


# An ImageTexture holding `img` (Godot 3 fills a new one; Godot 4 has a static constructor).
static func texture_from_image(img: Image) -> ImageTexture:
	var tex = ImageTexture.new()
	tex.create_from_image(img)
	return tex


# The Image a texture holds, or null (Godot 3's get_data is Godot 4's get_image).
static func texture_image(tex) -> Image:
	return tex.get_data()


# The colour of pixel (x, y) as [r, g, b, a] (Godot 3 locks an Image to read it; Godot 4 does not).
static func pixel(img: Image, x: int, y: int) -> Array:
	img.lock()
	var c = img.get_pixel(x, y)
	img.unlock()
	return [c.r, c.g, c.b, c.a]


# The arrays of a PrimitiveMesh's surface as the renderer last built it (its last surface there).
static func primitive_arrays(mesh: Mesh) -> Array:
	mesh.get_surface_count()  # rebuilds it when a parameter changed
	var rid = mesh.get_rid()
	return VisualServer.mesh_surface_get_arrays(rid, VisualServer.mesh_get_surface_count(rid) - 1)
