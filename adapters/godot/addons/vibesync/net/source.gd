# The source side (docs/protocol.md "Flows"): snapshots, and live change detection. A scan compares
# the scene with what was last sent or agreed (the baseline) and streams the difference as one batch,
# the moving nodes' transforms as live frames (net/live_lane.gd); a change that names a blob waits
# until the orchestrator holds it (net/blob_upload.gd). The baseline follows whatever this Godot comes
# to hold: a snapshot, a resync, a transaction that ended (net/transactions.gd), a live frame.
# reset() on welcome forgets a snapshot still waiting for its blobs. The adapter (adapter.gd) is
# `net`: send(type, body) -> id or null, send_error(code, message, ref, tx_id), and `targets`, the
# engines every change is routed to; what happens is emitted as `event(Dictionary)`, like the
# adapter's own events.
extends Reference

signal event(e)

const C = preload("res://addons/vibesync/core/canonical.gd")
const W = preload("res://addons/vibesync/core/wire_json.gd")
const Protocol = preload("res://addons/vibesync/core/protocol.gd")
const SceneIO = preload("res://addons/vibesync/scene/scene_io.gd")
const Compat = preload("res://addons/vibesync/compat.gd")

var snapshot_due = ""  # a snapshot waiting for the orchestrator to hold its blobs

var _io  # scene/scene_io.gd
var _proto  # core/protocol.gd: message ids, for mutation ids
var _upload  # net/blob_upload.gd
var _live  # net/live_lane.gd
var _tx  # net/transactions.gd
var _net  # the adapter node
var _baseline_o = {}  # id -> canonical string of what was last sent / agreed
var _baseline_raw = {}  # id -> wire object last sent
var _baseline_m = {}
var _mid = 0


func _init(io, proto, upload, live, tx, net):
	_io = io
	_proto = proto
	_upload = upload
	_live = live
	_tx = tx
	_net = net


func reset() -> void:
	snapshot_due = ""


# Sends the snapshot that waited for its blobs, once no transaction is open.
func send_due_snapshot() -> void:
	if snapshot_due != "" and not _tx.has_open():
		send_snapshot(snapshot_due)


func assign_ids() -> void:
	for n in _io._walk(_io.root):
		if not n.has_meta(SceneIO.META_ID):
			n.set_meta(SceneIO.META_ID, "gd-%08x%04x" % [randi() & 0x7fffffff, randi() & 0xffff])
	_io.reindex()


func send_snapshot(reason: String) -> void:
	var t0 = OS.get_ticks_usec()
	var scene = _io.read_scene()
	if not _upload.all_stored(Protocol.object_blobs(scene["objects"]) + Protocol.material_blobs(scene["materials"])):
		snapshot_due = reason  # sent on a later frame, once the orchestrator holds every blob
		return
	snapshot_due = ""
	var h = C.scene_hash(scene)
	for o in scene["objects"]:
		var e = C.range_error(o)
		if e != "":
			_net.send_error("SOURCE_FAILED", "%s: %s" % [o["id"], e], null, null)
			return
	_net.send("snapshot", {"reason": reason, "scene": scene, "hash": h})
	var ms = (OS.get_ticks_usec() - t0) / 1000.0
	rebase_all()
	emit_signal("event", {"event": "snapshot", "reason": reason, "hash": h, "objects": scene["objects"].size(), "ms": ms})


# The baseline becomes what this Godot now holds: all of it (after a snapshot or a resync), or the
# objects and materials of one transaction's sandbox (net/transactions.gd, when it ends).
func rebase_all() -> void:
	_baseline_o.clear()
	_baseline_raw.clear()
	_baseline_m.clear()
	for id in _io.ids():
		var n = _io.node(id)
		if n != null:
			var o = _io.read_object(n)
			_baseline_raw[id] = o
			_baseline_o[id] = C.encode(C.object_form(o))
	for id in _io.materials:
		_baseline_m[id] = C.encode(C.material_form(_io.read_material(id)))


func rebase(box: Dictionary) -> void:
	for id in box["objects"]:
		var n = _io.node(id)
		if n == null:
			_baseline_o.erase(id)
			_baseline_raw.erase(id)
		else:
			var o = _io.read_object(n)
			_baseline_raw[id] = o
			_baseline_o[id] = C.encode(C.object_form(o))
	for id in box["materials"]:
		if _io.materials.has(id):
			_baseline_m[id] = C.encode(C.material_form(_io.read_material(id)))
		else:
			_baseline_m.erase(id)


func _next_mid() -> String:
	_mid += 1
	return "%s-m%d" % [_proto.next_id(), _mid]


# Compares the scene with what was last sent and streams the difference: one batch, and the moving
# nodes' transforms as live frames when the lane is granted. Returns the mutations and live records sent.
func scan() -> Array:
	var targets = _net.targets
	if targets.empty() or _tx.has_open():
		return []
	assign_ids()
	var now = {}
	for id in _io.ids():
		var n = _io.node(id)
		if n != null:
			now[id] = _io.read_object(n)  # registers materials made in Godot, so read objects first
	var meshes = []  # objects whose mesh is new or changed: their blobs go first
	for id in now:
		if not _baseline_raw.has(id) or W.stringify(_baseline_raw[id].get("mesh")) != W.stringify(now[id].get("mesh")):
			meshes.append(now[id])
	var mats = []  # materials that are new or changed, with their canonical form
	for id in _io.materials:
		var mat = _io.read_material(id)
		var enc = C.encode(C.material_form(mat))
		if _baseline_m.get(id) != enc:
			mats.append([mat, enc])
	var textures = []
	for m in mats:
		textures.append(m[0])
	if not _upload.all_stored(Protocol.object_blobs(meshes) + Protocol.material_blobs(textures)):
		return []  # nothing is lost: compared again on the next scan, once the blobs are stored
	var muts = []
	for m in mats:
		muts.append({"mid": _next_mid(), "targets": targets, "op": "upsert_material", "material": m[0]})
		_baseline_m[m[0]["id"]] = m[1]
	var created = []
	for id in now:
		var o = now[id]
		var enc = C.encode(C.object_form(o))
		if not _baseline_o.has(id):
			created.append(o)
		elif _baseline_o[id] != enc or W.stringify(_baseline_raw[id].get("notSynced")) != W.stringify(o.get("notSynced")):
			var old = _baseline_raw[id]
			var t = {}
			for k in ["position", "rotation", "scale"]:
				if _quantised(k, old["transform"][k]) != _quantised(k, o["transform"][k]):
					t[k] = o["transform"][k]
			if not t.empty():
				muts.append({"mid": _next_mid(), "targets": targets, "op": "set_transform", "objectId": id, "transform": t})
			var props = {}
			for k in ["name", "parent", "materials", "mesh", "light", "camera", "notSynced"]:  # a mark that went is null
				if W.stringify(old.get(k)) != W.stringify(o.get(k)):
					props[k] = o.get(k)
			if not props.empty():
				muts.append({"mid": _next_mid(), "targets": targets, "op": "set_props", "objectId": id, "props": props})
	for o in SceneIO.parents_first(created):
		muts.append({"mid": _next_mid(), "targets": targets, "op": "create", "object": o})
	var gone = []
	for id in _baseline_o:
		if not now.has(id):
			gone.append(id)
	Compat.sort_custom(gone, self, "_deeper_in_baseline")
	for id in gone:
		muts.append({"mid": _next_mid(), "targets": targets, "op": "delete", "objectId": id})
	var moving = _live.track(muts)  # before returning: a scan without a node's transform ends its motion
	if muts.empty():
		return muts
	for o in now.values():
		var e = C.range_error(o)
		if e != "":
			_net.send_error("SOURCE_FAILED", "%s: %s" % [o["id"], e], null, null)
			return []
	var split = _live.stream(muts, now, moving)  # the moving nodes' transforms leave as live frames
	var records = split[0]
	muts = split[1]
	var i = 0
	while i < muts.size():
		var part = Compat.slice(muts, i, min(i + Protocol.MAX_BATCH, muts.size()))
		_live.batch_sent(_net.send("batch", {"mutations": part}), part)
		i += Protocol.MAX_BATCH
	for id in gone:
		_baseline_o.erase(id)
		_baseline_raw.erase(id)
	for id in now:
		_baseline_raw[id] = now[id]
		_baseline_o[id] = C.encode(C.object_form(now[id]))
	if not muts.empty():
		emit_signal("event", {"event": "batch", "mutations": muts.size()})
	return muts + records


# The baseline of one node's transform, for the live lane (net/live_lane.gd): null if none was sent.
func baseline_transform(id: String):
	return _baseline_raw[id]["transform"] if _baseline_raw.has(id) else null


# The live lane moved what the orchestrator holds of a node (a frame applied here, or one of ours it
# dropped): the baseline follows, so the next scan neither echoes the frame nor forgets to resend.
func rebase_transform(id: String, transform: Dictionary) -> void:
	if not _baseline_raw.has(id):
		return
	var o = _baseline_raw[id].duplicate(true)
	o["transform"] = transform
	_baseline_raw[id] = o
	_baseline_o[id] = C.encode(C.object_form(o))


static func _quantised(k: String, v) -> Array:
	match k:
		"position":
			return C.q_list(v, C.STEP_POSITION)
		"rotation":
			return C.q_rotation(v)
		_:
			return C.q_list(v, C.STEP_SCALE)


func _deeper_in_baseline(a, b) -> bool:
	return _bdepth(a) > _bdepth(b)


func _bdepth(id) -> int:
	var d = 0
	while id != null and _baseline_raw.has(id) and d < 10000:
		id = _baseline_raw[id]["parent"]
		d += 1
	return d
