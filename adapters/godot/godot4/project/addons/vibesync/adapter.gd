# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/adapter.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# The VibeSync client node: one WebSocket to the orchestrator, as source and/or target.
# Engine glue only: protocol rules live in core/, scene reading/writing in scene/; this node routes
# messages to net/ (blob upload, the live lane, the target's transactions and resync).
# Emits `event(Dictionary)` for the dock and the headless test runner.
extends Node

signal event(e)

const C = preload("res://addons/vibesync/core/canonical.gd")
const W = preload("res://addons/vibesync/core/wire_json.gd")
const Protocol = preload("res://addons/vibesync/core/protocol.gd")
const SceneIO = preload("res://addons/vibesync/scene/scene_io.gd")
const WS = preload("res://addons/vibesync/net/ws.gd")
const Compat = preload("res://addons/vibesync/compat.gd")
const BlobUpload = preload("res://addons/vibesync/net/blob_upload.gd")
const LiveLane = preload("res://addons/vibesync/net/live_lane.gd")
const Transactions = preload("res://addons/vibesync/net/transactions.gd")
const Live = preload("res://addons/vibesync/core/live.gd")

const BACKOFF = [0.1, 0.4, 1.6]

var url = "ws://127.0.0.1:7420/adapter"
var token = ""
var engine_name = "godot"
var roles = ["source", "target"]
var targets = []  # source: the engines every change is routed to
var scan_interval = 0.05  # source: how often the scene is compared with what was sent
var buffer_mb = 256  # frames up to this size can be received and sent (resync / snapshot cap)

var state = "offline"
var last_error = ""
var io: SceneIO
var proto: Protocol
var live: LiveLane  # the live lane (net/live_lane.gd): `live.granted`, `live.enabled`, `live.sent`, `live.settled`
var tx: Transactions  # the target's transactions in a sandbox, and resync (net/transactions.gd): `tx.hold_hash`

var _ws  # net/ws.gd
var _graveyard = []  # closed sockets are dropped a frame later, never inside their own poll
var _welcomed = false
var _stopping = false
var _attempt = 0
var _retry_in = -1.0
var _beat_in = 0.0
var _heartbeat_s = 1.0
var _beat_seq = 0
var _scan_in = 0.0
var _baseline_o = {}  # source: id -> canonical string of what was last sent / agreed
var _baseline_raw = {}  # source: id -> wire object last sent
var _baseline_m = {}
var _mid = 0
var _snapshot_due = ""  # a snapshot waiting for the orchestrator to hold its blobs
var _upload: BlobUpload  # ask, then send (net/blob_upload.gd)


func setup(scene_root: Node3D, generation := 1) -> void:
	io = SceneIO.new(scene_root)
	proto = Protocol.new(generation)
	_upload = BlobUpload.new(io.blobs, self)
	Compat.connect_signal(_upload, "event", self, "_relay")
	live = LiveLane.new(io, self)
	Compat.connect_signal(live, "event", self, "_relay")
	tx = Transactions.new(io, live, self)
	Compat.connect_signal(tx, "event", self, "_relay")


func start() -> void:
	_stopping = false
	_connect()


func stop(code := 1000, reason := "bye") -> void:
	_stopping = true
	if _ws != null:
		_ws.close(code, reason)
	_set_state("stopped")


# Reload: generation + 1 on a new connection (docs/protocol.md, Reload).
func reload() -> void:
	if _ws != null:
		_ws.close(1000, "reload")
		_graveyard.append(_ws)
	_ws = null
	_welcomed = false
	proto.generation += 1
	_retry_in = 0.1


func busy(reason: String, expected_ms: int) -> void:
	send("busy", {"reason": reason, "expectedMs": expected_ms})


func send_ready() -> void:
	send("ready", {})


func _set_state(s: String, err := "") -> void:
	state = s
	if err != "":
		last_error = err
	emit_signal("event", {"event": "state", "state": s, "error": err})


func _connect() -> void:
	_ws = WS.new()
	_welcomed = false
	_set_state("connecting")
	var err = _ws.open(url, buffer_mb)
	if err != OK:
		_schedule_retry("connect_to_url failed: %d" % err)


func _schedule_retry(why: String) -> void:
	_welcomed = false
	if _ws != null:
		_graveyard.append(_ws)
	_ws = null
	if _stopping:
		return
	_set_state("reconnecting", why)
	_retry_in = BACKOFF[min(_attempt, BACKOFF.size() - 1)] * randf_range(0.8, 1.2)
	_attempt += 1


func _process(delta: float) -> void:
	_graveyard.clear()
	if _ws != null:
		var ws = _ws
		for e in ws.poll():
			if _ws != ws:
				break  # closed (or reloaded) while handling an earlier event
			match e[0]:
				"open":
					_send_raw(proto.handshake(token, engine_name, _version(), roles), false)
				"text":
					_on_text(e[1])
				"binary":
					_on_binary(e[1])
				"closed":
					last_error = "%d %s" % [e[1], e[2]]
					_schedule_retry("closed %d %s" % [e[1], e[2]])
	if _retry_in >= 0:
		_retry_in -= delta
		if _retry_in < 0:
			_connect()
	if _welcomed:
		_beat_in -= delta
		if _beat_in <= 0:
			_beat_in = _heartbeat_s
			_beat_seq += 1
			send("heartbeat", {"seq": _beat_seq})
		if _snapshot_due != "" and not tx.has_open():
			send_snapshot(_snapshot_due)
		if roles.has("source"):
			_scan_in -= delta
			if _scan_in <= 0:
				_scan_in = scan_interval
				scan()


static func _version() -> String:
	var v = Engine.get_version_info()
	return "%d.%d.%d" % [v["major"], v["minor"], v["patch"]]


# ---- sending ----
func send(type: String, body: Dictionary):
	if not _welcomed:
		return null
	return _send_raw(proto.envelope(type, body), true)


func _send_raw(msg: Dictionary, handshaken: bool):
	var text = W.stringify(msg)
	var bytes = text.to_utf8_buffer()
	var cap = Protocol.cap_for(msg["type"], handshaken)
	if bytes.size() > cap:
		emit_signal("event", {"event": "too_large", "type": msg["type"], "bytes": bytes.size(), "cap": cap})
		return null
	var err = _ws.send_text(text)
	if err != OK:
		emit_signal("event", {"event": "send_failed", "type": msg["type"], "error": err})
		return null
	return msg["id"]


func send_binary(frame) -> int:
	if _ws == null:
		return ERR_UNCONFIGURED  # closed since (a reload, a retry): nothing leaves
	return _ws.send_binary(frame)


func _relay(e: Dictionary) -> void:
	emit_signal("event", e)


func send_error(code: String, message: String, ref, tx_id) -> void:
	send("error", {"code": code, "message": message, "ref": ref, "txId": tx_id})


# ---- receiving ----
func _on_text(text: String) -> void:
	var parsed = Compat.json_parse(text)
	if not parsed["ok"] or typeof(parsed["value"]) != TYPE_DICTIONARY:
		emit_signal("event", {"event": "bad_frame", "error": parsed["error"] if not parsed["ok"] else "not an object"})
		return
	_handle(parsed["value"])


func _handle(m: Dictionary) -> void:
	var body = m.get("body", {})
	var type = m.get("type", "")
	if not _welcomed:
		if type == "welcome":
			_welcomed = true
			_attempt = 0
			proto.session = m["session"]
			_heartbeat_s = max(0.05, float(body["heartbeatMs"]) / 1000.0)
			_beat_in = 0
			_set_state("healthy")
			_upload.reset()
			_snapshot_due = ""
			live.reset(body.get("capabilities", []).has(Live.CAPABILITY))
			emit_signal("event", {"event": "welcome", "session": m["session"], "generation": proto.generation, "live": live.granted})
			if roles.has("source"):
				_assign_ids()
				send_snapshot("initial")
		elif type == "error":
			var code = body.get("code", "")
			emit_signal("event", {"event": "refused", "code": code, "message": body.get("message", "")})
			if code == "TRANSIENT" or code == "NAME_IN_USE":
				return  # the close follows, then a retry with the back-off
			_stopping = true  # AUTH_FAILED, PANIC, ...: a person must act (the dock shows why)
			_set_state("refused", "%s: %s" % [code, body.get("message", "")])
		return
	match type:
		"tx_begin":
			tx.on_begin(m)
		"tx_commit":
			tx.on_end(body["txId"], "committed")
		"tx_rollback":
			tx.on_end(body["txId"], "rolled_back")
		"tx_purge":
			tx.on_end(body["txId"], "purged")
		"rollback_broadcast":
			tx.on_rollback_broadcast(body["txId"])
		"resync":
			if _snapshot_due == "initial":
				_snapshot_due = ""  # the resync answers an initial snapshot still waiting for its blobs (docs/protocol.md)
			tx.on_resync(body, m["id"])
		"snapshot_request":
			emit_signal("event", {"event": "snapshot_request", "reason": body.get("reason", "")})
			if roles.has("source"):
				send_snapshot("requested")
		"ack":
			live.batch_done(body["ref"])
			emit_signal("event", {"event": "ack", "ref": body["ref"], "seq": body["seq"], "count": body["count"]})
		"blob_need":
			_upload.on_need(body)
		"blob_stored":
			_upload.on_stored(body)
		"live_settled":
			live.on_settled(body)
		"error":
			_upload.on_refused(body)
			live.on_error(body)
			emit_signal("event", {"event": "error", "code": body["code"], "message": body["message"], "ref": body["ref"], "txId": body["txId"]})
		_:
			emit_signal("event", {"event": "message", "type": type})


# ---- blobs received as a target (sent as a source: net/blob_upload.gd); live frames: net/live_lane.gd ----
func _on_binary(frame: PackedByteArray) -> void:
	if Live.is_live(frame):
		live.on_frame(frame)
		return
	var r = io.blobs.add(frame)
	if r.has("error"):
		emit_signal("event", {"event": "blob_failed", "message": r["error"]})
		send_error("TARGET_FAILED", r["error"], null, null)
	elif r["done"]:
		emit_signal("event", {"event": "blob", "hash": r["hash"], "size": r["size"]})


# ---- source: snapshots and live change detection ----
func _assign_ids() -> void:
	for n in io._walk(io.root):
		if not n.has_meta(SceneIO.META_ID):
			n.set_meta(SceneIO.META_ID, "gd-%08x%04x" % [randi() & 0x7fffffff, randi() & 0xffff])
	io.reindex()


func send_snapshot(reason: String) -> void:
	var t0 = Time.get_ticks_usec()
	var scene = io.read_scene()
	if not _upload.all_stored(Protocol.object_blobs(scene["objects"]) + Protocol.material_blobs(scene["materials"])):
		_snapshot_due = reason  # sent on a later frame, once the orchestrator holds every blob
		return
	_snapshot_due = ""
	var h = C.scene_hash(scene)
	for o in scene["objects"]:
		var e = C.range_error(o)
		if e != "":
			send_error("SOURCE_FAILED", "%s: %s" % [o["id"], e], null, null)
			return
	send("snapshot", {"reason": reason, "scene": scene, "hash": h})
	var ms = (Time.get_ticks_usec() - t0) / 1000.0
	rebase_all()
	emit_signal("event", {"event": "snapshot", "reason": reason, "hash": h, "objects": scene["objects"].size(), "ms": ms})


# The baseline becomes what this Godot now holds: all of it (after a snapshot or a resync), or the
# objects and materials of one transaction's sandbox (net/transactions.gd, when it ends).
func rebase_all() -> void:
	_baseline_o.clear()
	_baseline_raw.clear()
	_baseline_m.clear()
	for id in io.ids():
		var n = io.node(id)
		if n != null:
			var o = io.read_object(n)
			_baseline_raw[id] = o
			_baseline_o[id] = C.encode(C.object_form(o))
	for id in io.materials:
		_baseline_m[id] = C.encode(C.material_form(io.read_material(id)))


func rebase(box: Dictionary) -> void:
	for id in box["objects"]:
		var n = io.node(id)
		if n == null:
			_baseline_o.erase(id)
			_baseline_raw.erase(id)
		else:
			var o = io.read_object(n)
			_baseline_raw[id] = o
			_baseline_o[id] = C.encode(C.object_form(o))
	for id in box["materials"]:
		if io.materials.has(id):
			_baseline_m[id] = C.encode(C.material_form(io.read_material(id)))
		else:
			_baseline_m.erase(id)


func _next_mid() -> String:
	_mid += 1
	return "%s-m%d" % [proto.next_id(), _mid]


# Compares the scene with what was last sent and streams the difference: one batch, and the moving
# nodes' transforms as live frames when the lane is granted. Returns the mutations and live records sent.
func scan() -> Array:
	if targets.is_empty() or tx.has_open():
		return []
	_assign_ids()
	var now = {}
	for id in io.ids():
		var n = io.node(id)
		if n != null:
			now[id] = io.read_object(n)  # registers materials made in Godot, so read objects first
	var meshes = []  # objects whose mesh is new or changed: their blobs go first
	for id in now:
		if not _baseline_raw.has(id) or W.stringify(_baseline_raw[id].get("mesh")) != W.stringify(now[id].get("mesh")):
			meshes.append(now[id])
	var mats = []  # materials that are new or changed, with their canonical form
	for id in io.materials:
		var mat = io.read_material(id)
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
			if not t.is_empty():
				muts.append({"mid": _next_mid(), "targets": targets, "op": "set_transform", "objectId": id, "transform": t})
			var props = {}
			for k in ["name", "parent", "materials", "mesh", "light", "camera", "notSynced"]:  # a mark that went is null
				if W.stringify(old.get(k)) != W.stringify(o.get(k)):
					props[k] = o.get(k)
			if not props.is_empty():
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
	var moving = live.track(muts)  # before returning: a scan without a node's transform ends its motion
	if muts.is_empty():
		return muts
	for o in now.values():
		var e = C.range_error(o)
		if e != "":
			send_error("SOURCE_FAILED", "%s: %s" % [o["id"], e], null, null)
			return []
	var split = live.stream(muts, now, moving)  # the moving nodes' transforms leave as live frames
	var records = split[0]
	muts = split[1]
	var i = 0
	while i < muts.size():
		var part = Compat.slice(muts, i, min(i + Protocol.MAX_BATCH, muts.size()))
		live.batch_sent(send("batch", {"mutations": part}), part)
		i += Protocol.MAX_BATCH
	for id in gone:
		_baseline_o.erase(id)
		_baseline_raw.erase(id)
	for id in now:
		_baseline_raw[id] = now[id]
		_baseline_o[id] = C.encode(C.object_form(now[id]))
	if not muts.is_empty():
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
