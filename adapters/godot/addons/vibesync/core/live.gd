# Live-lane frames (docs/protocol.md "Live lane"), byte for byte like shared/protocol/live-frame.ts:
# binary frame kind 2, little-endian, no padding: u8 kind, u8 version, u16 flags, u32 frame number,
# u32 record count, then per record u16 id length, the id (ASCII, the ObjectId rule), 10 float64s:
# position x, y, z, rotation x, y, z, w, scale x, y, z (the whole canonical transform: +Y up,
# metres, quaternion x, y, z, w). A reader refuses anything structurally wrong (decode -> "error");
# values are returned as they are (the orchestrator checks ranges). Pure: no nodes; it names no
# version-specific API (StreamPeerBuffer), so the 4.x build holds it byte for byte.

const Compat = preload("res://addons/vibesync/compat.gd")

const KIND = 2
const VERSION = 1
const CAPABILITY = "live"
const HEADER_BYTES = 12
const VALUES_BYTES = 80
const MAX_RECORDS = 5000
const MAX_FRAME = 4294967295
const MAX_ID = 128
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-"
const RESERVED = ["__proto__", "constructor", "prototype"]


# "" or why these id bytes are not an ObjectId.
static func _id_error(raw) -> String:
	if raw.size() < 1 or raw.size() > MAX_ID:
		return "an id of %d bytes (1-%d)" % [raw.size(), MAX_ID]
	for i in range(raw.size()):
		var c = raw[i]
		if c >= 128 or ID_CHARS.find(char(c)) < 0:
			return "an id with byte %d: ids use A-Z a-z 0-9 _ . : - only" % c
	if RESERVED.has(raw.get_string_from_ascii()):
		return "id %s is reserved" % raw.get_string_from_ascii()
	return ""


# The id's bytes; a character outside ASCII becomes byte 255, which the id rule refuses.
static func _ascii(s: String):
	var b = StreamPeerBuffer.new()
	for i in range(s.length()):
		var c = Compat.code_at(s, i)
		b.put_u8(c if c < 128 else 255)
	return b.data_array


# frame: a u32; records: [{"id", "position", "rotation", "scale"}] (canonical, whole transforms).
# -> {"bytes": packed byte array} or {"error": why} (nothing is sent for a frame that breaks the layout).
static func encode(frame: int, records: Array) -> Dictionary:
	if frame < 0 or frame > MAX_FRAME:
		return {"error": "frame number %d is not a u32" % frame}
	if records.size() > MAX_RECORDS:
		return {"error": "%d records (at most %d)" % [records.size(), MAX_RECORDS]}
	var b = StreamPeerBuffer.new()
	b.big_endian = false
	b.put_u8(KIND)
	b.put_u8(VERSION)
	b.put_u16(0)
	b.put_u32(frame)
	b.put_u32(records.size())
	var seen = {}
	for r in records:
		var raw = _ascii(str(r["id"]))
		var e = _id_error(raw)
		if e != "":
			return {"error": e}
		if seen.has(r["id"]):
			return {"error": "id %s appears twice in one frame" % r["id"]}
		seen[r["id"]] = true
		b.put_u16(raw.size())
		b.put_data(raw)
		for k in ["position", "rotation", "scale"]:
			for v in r[k]:
				b.put_double(float(v))
	return {"bytes": b.data_array}


# A binary frame -> {"frame": n, "records": [{"id", "position", "rotation", "scale"}]}, or
# {"error": why} for anything a reader must refuse (then none of it is used).
static func decode(data) -> Dictionary:
	var size = data.size()
	if size < HEADER_BYTES:
		return {"error": "%d bytes is shorter than the %d-byte header" % [size, HEADER_BYTES]}
	var b = StreamPeerBuffer.new()
	b.big_endian = false
	b.data_array = data
	var kind = b.get_u8()
	var version = b.get_u8()
	var flags = b.get_u16()
	var frame = b.get_u32()
	var count = b.get_u32()
	if kind != KIND:
		return {"error": "kind %d is not %d" % [kind, KIND]}
	if version != VERSION:
		return {"error": "version %d (this side speaks %d)" % [version, VERSION]}
	if flags != 0:
		return {"error": "flags must be 0"}
	if count > MAX_RECORDS:
		return {"error": "%d records (at most %d)" % [count, MAX_RECORDS]}
	var records = []
	var seen = {}
	var at = HEADER_BYTES
	for n in range(count):
		if at + 2 > size:
			return {"error": "record %d of %d is cut off at byte %d" % [n, count, at]}
		b.seek(at)
		var length = b.get_u16()
		at += 2
		if at + length + VALUES_BYTES > size:
			return {"error": "record %d of %d is cut off at byte %d" % [n, count, at]}
		var raw = Compat.bytes_slice(data, at, at + length)
		var e = _id_error(raw)
		if e != "":
			return {"error": "record %d: %s" % [n, e]}
		var id = raw.get_string_from_ascii()
		if seen.has(id):
			return {"error": "record %d: id %s appears twice in one frame" % [n, id]}
		seen[id] = true
		b.seek(at + length)
		var v = []
		for _i in range(10):
			v.append(b.get_double())
		records.append({"id": id, "position": [v[0], v[1], v[2]], "rotation": [v[3], v[4], v[5], v[6]], "scale": [v[7], v[8], v[9]]})
		at += length + VALUES_BYTES
	if at != size:
		return {"error": "%d bytes after the last of %d records" % [size - at, count]}
	return {"frame": frame, "records": records}


# True for a binary frame of the live lane (its first byte is kind 2), whatever else it holds.
static func is_live(data) -> bool:
	return data.size() > 0 and data[0] == KIND
