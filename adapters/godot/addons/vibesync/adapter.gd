# The VibeSync client node: one WebSocket to the orchestrator, as source and/or target.
# Engine glue only: protocol rules live in core/, scene reading/writing in scene/; this node routes
# messages to net/ (blob upload, the live lane, the target's transactions and resync, the source's
# snapshots and change detection).
# Emits `event(Dictionary)` for the dock and the headless test runner.
extends Node

signal event(e)

const W = preload("res://addons/vibesync/core/wire_json.gd")
const Protocol = preload("res://addons/vibesync/core/protocol.gd")
const SceneIO = preload("res://addons/vibesync/scene/scene_io.gd")
const WS = preload("res://addons/vibesync/net/ws.gd")
const Compat = preload("res://addons/vibesync/compat.gd")
const BlobUpload = preload("res://addons/vibesync/net/blob_upload.gd")
const LiveLane = preload("res://addons/vibesync/net/live_lane.gd")
const Transactions = preload("res://addons/vibesync/net/transactions.gd")
const Source = preload("res://addons/vibesync/net/source.gd")
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
var _upload: BlobUpload  # ask, then send (net/blob_upload.gd)
var _source: Source  # snapshots, the baseline and live change detection (net/source.gd)


func setup(scene_root: Spatial, generation := 1) -> void:
	io = SceneIO.new(scene_root)
	proto = Protocol.new(generation)
	_upload = BlobUpload.new(io.blobs, self)
	Compat.connect_signal(_upload, "event", self, "_relay")
	live = LiveLane.new(io, self)
	Compat.connect_signal(live, "event", self, "_relay")
	tx = Transactions.new(io, live, self)
	Compat.connect_signal(tx, "event", self, "_relay")
	_source = Source.new(io, proto, _upload, live, tx, self)
	Compat.connect_signal(_source, "event", self, "_relay")


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
	_retry_in = BACKOFF[min(_attempt, BACKOFF.size() - 1)] * rand_range(0.8, 1.2)
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
		_source.send_due_snapshot()
		if roles.has("source"):
			_scan_in -= delta
			if _scan_in <= 0:
				_scan_in = scan_interval
				_source.scan()


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
	var bytes = text.to_utf8()
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
			_source.reset()
			live.reset(body.get("capabilities", []).has(Live.CAPABILITY))
			emit_signal("event", {"event": "welcome", "session": m["session"], "generation": proto.generation, "live": live.granted})
			if roles.has("source"):
				_source.assign_ids()
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
			if _source.snapshot_due == "initial":
				_source.snapshot_due = ""  # the resync answers an initial snapshot still waiting for its blobs (docs/protocol.md)
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
func _on_binary(frame: PoolByteArray) -> void:
	if Live.is_live(frame):
		live.on_frame(frame)
		return
	var r = io.blobs.add(frame)
	if r.has("error"):
		emit_signal("event", {"event": "blob_failed", "message": r["error"]})
		send_error("TARGET_FAILED", r["error"], null, null)
	elif r["done"]:
		emit_signal("event", {"event": "blob", "hash": r["hash"], "size": r["size"]})


# ---- source: snapshots and live change detection (net/source.gd) ----
func send_snapshot(reason: String) -> void:
	_source.send_snapshot(reason)


# The baseline becomes what this Godot now holds (net/transactions.gd: after a resync, or when a
# transaction ends).
func rebase_all() -> void:
	_source.rebase_all()


func rebase(box: Dictionary) -> void:
	_source.rebase(box)


# The baseline of one node's transform, for the live lane (net/live_lane.gd): null if none was sent.
func baseline_transform(id: String):
	return _source.baseline_transform(id)


# The live lane moved what the orchestrator holds of a node: the baseline follows.
func rebase_transform(id: String, transform: Dictionary) -> void:
	_source.rebase_transform(id, transform)
