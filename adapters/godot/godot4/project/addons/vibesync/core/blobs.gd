# Blob chunk frames (docs/protocol.md "Blobs"), byte for byte like shared/protocol/binary-frame.ts:
# a 48-byte header (kind 1, version 1, flags 0, chunk index, chunk count, payload length, the blob's
# raw SHA-256), then at most 1 MiB of payload. One instance per adapter holds `held`, every blob this
# Godot has (the meshes it exported, those the orchestrator sent it), and reassembles incoming chunks,
# verifying each blob against its hash. Pure: no nodes; it names no version-specific API (packed
# arrays come from StreamPeerBuffer), so the 4.x build holds it byte for byte.

const Compat = preload("res://addons/vibesync/compat.gd")
const MeshBlob = preload("res://addons/vibesync/core/mesh_blob.gd")

const HEADER_BYTES = 48
const CHUNK_BYTES = 1048576
const KIND_BLOB = 1
const VERSION = 1
const HEX = "0123456789abcdef"

var held = {}  # hash -> the blob's bytes (a packed byte array)
var received = {}  # hash -> true: blobs the orchestrator sent (a rollback may need them again)
var _cur = null  # the blob being received: {"hash", "next", "count", "parts": Array, "ctx": HashingContext}


static func chunk_count(size: int) -> int:
	return int(max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES))


# The binary frames of one blob, in order (an Array of packed byte arrays).
static func chunks(hash_hex: String, data) -> Array:
	var raw = _unhex(hash_hex)
	var count = chunk_count(data.size())
	var out = []
	for i in range(count):
		var from = i * CHUNK_BYTES
		var to = int(min(data.size(), from + CHUNK_BYTES))
		var b = StreamPeerBuffer.new()
		b.put_u8(KIND_BLOB)
		b.put_u8(VERSION)
		b.put_u16(0)
		b.put_u32(i)
		b.put_u32(count)
		b.put_u32(to - from)
		b.put_data(raw)
		b.put_data(Compat.bytes_slice(data, from, to))
		out.append(b.data_array)
	return out


static func _unhex(h: String):
	var b = StreamPeerBuffer.new()
	for i in range(0, h.length() - 1, 2):
		b.put_u8(HEX.find(h[i]) * 16 + HEX.find(h[i + 1]))
	return b.data_array


# One incoming binary frame. -> {"done": false} while a blob is incomplete; {"done": true, "hash",
# "size"} once it is whole, verified and held; {"error": why} for a frame that is not a chunk in
# order or a blob whose bytes do not hash to its name (dropped, not held).
func add(frame) -> Dictionary:
	if frame.size() < HEADER_BYTES:
		_cur = null
		return {"error": "binary frame of %d bytes is shorter than its header" % frame.size()}
	var b = StreamPeerBuffer.new()
	b.data_array = Compat.bytes_slice(frame, 0, HEADER_BYTES)
	var kind = b.get_u8()
	var version = b.get_u8()
	var flags = b.get_u16()
	var index = b.get_u32()
	var count = b.get_u32()
	var length = b.get_u32()
	var digest = Compat.bytes_slice(frame, 16, HEADER_BYTES).hex_encode()
	if kind != KIND_BLOB or version != VERSION or flags != 0 or length != frame.size() - HEADER_BYTES or index >= count:
		_cur = null
		return {"error": "not a blob chunk frame (kind %d, version %d, chunk %d of %d)" % [kind, version, index, count]}
	if index == 0:
		var ctx = HashingContext.new()
		ctx.start(HashingContext.HASH_SHA256)
		_cur = {"hash": digest, "next": 0, "count": count, "parts": [], "ctx": ctx}
	if _cur == null or _cur["hash"] != digest or _cur["next"] != index:
		_cur = null
		return {"error": "blob %s: chunk %d out of order" % [digest, index]}
	var payload = Compat.bytes_slice(frame, HEADER_BYTES, frame.size())
	_cur["parts"].append(payload)
	_cur["ctx"].update(payload)
	_cur["next"] += 1
	if _cur["next"] < _cur["count"]:
		return {"done": false}
	var cur = _cur
	_cur = null
	var got = cur["ctx"].finish().hex_encode()
	if got != digest:
		return {"error": "blob %s: its bytes hash to %s; dropped" % [digest, got]}
	var whole = StreamPeerBuffer.new()
	for p in cur["parts"]:
		whole.put_data(p)
	var data = whole.data_array
	held[digest] = data
	received[digest] = true
	return {"done": true, "hash": digest, "size": data.size()}


# The blob_query kind of a blob's bytes: a VSM1 mesh blob, else an image file (a texture).
static func kind_of(data) -> String:
	var vsm1 = data.size() >= 4 and data[0] == 86 and data[1] == 83 and data[2] == 77 and data[3] == 49
	return "mesh" if vsm1 else "texture"


# Keeps a blob this Godot made (a mesh it exported, a texture file it read or encoded); returns its hash.
func keep(data) -> String:
	var h = MeshBlob.sha256_hex(data)
	held[h] = data
	return h


# Drops a blob this Godot made and no longer holds (a mesh since edited); received blobs are kept.
func forget(h: String) -> void:
	if not received.has(h):
		held.erase(h)
