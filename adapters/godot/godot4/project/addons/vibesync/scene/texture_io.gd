# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/scene/texture_io.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# Textures between StandardMaterial3D slots and texture blobs (docs/protocol.md "Texture blobs"). Engine
# layer: it builds and reads Godot textures and nothing else.
#
# Import: a blob's bytes (a PNG or JPEG file) are decoded by Godot (load_png_from_buffer /
# load_jpg_from_buffer) into an ImageTexture put in the slot's property (SLOTS); normal and emission
# textures also switch their feature on. Godot 3's StandardMaterial3D has no alpha map: an `alpha`
# texture is decoded and held as material metadata, reported but not shown.
# Export: each texture in a slot is reported from the image file bytes Godot holds for it, hashed
# here: the bytes it was built from (a received blob), else its resource file when that is a PNG or
# JPEG (an image dragged into a material), else its pixels encoded as a PNG (a painted or generated
# image). Cached per texture and its change counter (scene/changes.gd), so a scan hashes once.
extends RefCounted

const Compat = preload("res://addons/vibesync/compat.gd")
const MeshBlob = preload("res://addons/vibesync/core/mesh_blob.gd")

const SLOTS = {
	"base_color": "albedo_texture",
	"metallic": "metallic_texture",
	"roughness": "roughness_texture",
	"normal": "normal_texture",
	"emission": "emission_texture",
}
const FEATURES = {"normal": "normal_enabled", "emission": "emission_enabled"}
const META_ALPHA = "vibesync_alpha_texture"
const META_REFS = "vibesync_texture_refs"  # references without a blob, kept as they came

var blobs  # core/blobs.gd: received texture blobs are read from it, exported ones kept in it
var changes  # scene/changes.gd
var _files = {}  # texture instance id -> [change counter, {"bytes", "hash", "format"}]


func _init(blob_store, change_counter):
	blobs = blob_store
	changes = change_counter


# The PNG or JPEG file's encoding, from its first bytes ("" when it is neither).
static func format_of(bytes) -> String:
	if bytes.size() >= 8 and bytes[0] == 0x89 and bytes[1] == 0x50 and bytes[2] == 0x4e and bytes[3] == 0x47:
		return "png"
	if bytes.size() >= 3 and bytes[0] == 0xff and bytes[1] == 0xd8 and bytes[2] == 0xff:
		return "jpeg"
	return ""


# Makes material `m` hold `refs` (wire texture references). -> "" or why one cannot be held; a
# texture that cannot be held is left out of its slot, so the hash check fails too.
func apply(m, refs: Array) -> String:
	var before = {"alpha": m.get_meta(META_ALPHA) if m.has_meta(META_ALPHA) else null}
	for slot in SLOTS:
		before[slot] = m.get(SLOTS[slot])
		m.set(SLOTS[slot], null)
	for slot in FEATURES:
		m.set(FEATURES[slot], false)
	if m.has_meta(META_ALPHA):
		m.remove_meta(META_ALPHA)
	var summaries = []
	var failure = ""
	for t in refs:
		if not t.get("blob", false):
			summaries.append(t.duplicate())
			continue
		var tex = before.get(t["slot"])
		if tex == null or file_of(tex).get("hash") != t["hash"]:
			tex = _decode(t)  # a texture already held from that very file is kept as it is
		if typeof(tex) == TYPE_STRING:
			failure = tex if failure == "" else failure
			continue
		if t["slot"] == "alpha":
			m.set_meta(META_ALPHA, tex)
		elif SLOTS.has(t["slot"]):
			m.set(SLOTS[t["slot"]], tex)
			if FEATURES.has(t["slot"]):
				m.set(FEATURES[t["slot"]], true)
		else:
			failure = "texture slot %s is not one Godot holds" % t["slot"] if failure == "" else failure
	m.set_meta(META_REFS, summaries)
	return failure


# An ImageTexture of the blob `t` names, or why there is none.
func _decode(t: Dictionary):
	var bytes = blobs.held.get(t["hash"])
	if bytes == null:
		return "texture blob %s (%s) was never received" % [t["hash"], t["slot"]]
	var fmt = format_of(bytes)
	var img = Image.new()
	var err = ERR_FILE_UNRECOGNIZED
	if fmt == "png":
		err = img.load_png_from_buffer(bytes)
	elif fmt == "jpeg":
		err = img.load_jpg_from_buffer(bytes)
	if err != OK or img.is_empty():
		return "texture blob %s (%s) cannot be decoded by Godot as %s (error %d)" % [t["hash"], t["slot"], fmt if fmt != "" else "PNG or JPEG", err]
	var tex = Compat.texture_from_image(img)
	_files[tex.get_instance_id()] = [changes.version(tex), {"bytes": bytes, "hash": MeshBlob.sha256_hex(bytes), "format": fmt}]
	return tex


# The material's texture references as Godot holds them (unsorted; the canonical form sorts by slot).
func read(m) -> Array:
	var out = []
	for slot in SLOTS:
		var tex = m.get(SLOTS[slot])
		if tex != null and (not FEATURES.has(slot) or m.get(FEATURES[slot])):
			_report(out, slot, tex)
	if m.has_meta(META_ALPHA):
		_report(out, "alpha", m.get_meta(META_ALPHA))
	if m.has_meta(META_REFS):
		for t in m.get_meta(META_REFS):
			out.append(t.duplicate())
	return out


func _report(out: Array, slot: String, tex) -> void:
	var f = file_of(tex)
	if f.has("error"):
		push_error("texture %s: %s" % [slot, f["error"]])
		return
	out.append({"slot": slot, "width": tex.get_width(), "height": tex.get_height(), "hash": f["hash"], "format": f["format"], "blob": true})


# The image file Godot holds for texture `tex`: {"bytes", "hash", "format"} (the bytes also kept in
# `blobs`, to be sent), or {"error"}.
func file_of(tex) -> Dictionary:
	var key = tex.get_instance_id()
	var version = changes.version(tex)
	var hit = _files.get(key)
	if hit != null and hit[0] == version:
		return hit[1]
	var bytes = _resource_file(tex)
	if bytes.size() == 0:
		var img = Compat.texture_image(tex)
		if img == null or img.is_empty():
			return {"error": "%s holds no image" % tex.get_class()}
		if img.is_compressed():
			img = img.duplicate()
			img.decompress()
		bytes = img.save_png_to_buffer()
	var f = {"bytes": bytes, "hash": blobs.keep(bytes), "format": format_of(bytes)}
	_files[key] = [version, f]
	return f


# The bytes of the PNG or JPEG file a texture was loaded from; empty when it has none.
static func _resource_file(tex) -> PackedByteArray:
	var path = tex.resource_path.to_lower()
	if not (path.ends_with(".png") or path.ends_with(".jpg") or path.ends_with(".jpeg")):
		return PackedByteArray()
	var bytes = Compat.read_from(tex.resource_path, 0)
	return bytes if format_of(bytes) != "" else PackedByteArray()
