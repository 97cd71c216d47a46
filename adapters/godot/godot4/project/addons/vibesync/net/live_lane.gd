# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/net/live_lane.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# The live lane (docs/protocol.md "Live lane"): whole transforms in binary frames (kind 2, core/live.gd),
# outside any transaction and never acknowledged. As a target, a frame is applied at once (a preview);
# as a source, the nodes that are moving stream as frames while everything else stays a JSON batch.
# State per connection: reset() on welcome. The adapter (adapter.gd) is `net`: send_error(code,
# message, ref, tx_id), send_binary(frame) -> error, and what it last agreed with the orchestrator of
# a node's transform (its baseline): baseline_transform(id) -> transform or null,
# rebase_transform(id, transform); what happens is emitted as `event(Dictionary)`, like the
# adapter's own events.
extends RefCounted

signal event(e)

const Live = preload("res://addons/vibesync/core/live.gd")
const Protocol = preload("res://addons/vibesync/core/protocol.gd")
const Compat = preload("res://addons/vibesync/compat.gd")

const MOVING_SCANS = 2  # a node whose transform changed in this many scans before this one is moving

var granted = false  # welcome granted the lane: live frames come to this target
var enabled = true  # source: stream transform-only changes as live frames when the lane is granted
var received = 0  # live frames applied on this connection
var sent = 0  # source: the last live frame number sent on this connection (0: none)
var settled = -1  # source: the latest frame live_settled made durable on this connection (-1: none)

var _io  # scene/scene_io.gd
var _net  # the adapter node
var _applied = {}  # target: id -> [number of the last live frame applied to it, its transform]
var _before = {}  # source: frame number -> {id: the transform the baseline held before that frame}
var _last = {}  # source: id -> the last frame number that carried it
var _json_out = {}  # source: batch message id -> the object ids it touches, until its ack (or error)
var _json_objects = {}  # source: object id -> how many unacknowledged batches touch it
var _moving = {}  # source: id -> in how many scans in a row up to the last one its transform changed


func _init(io, net):
	_io = io
	_net = net


func reset(is_granted: bool) -> void:
	granted = is_granted
	received = 0
	sent = 0
	settled = -1
	_applied.clear()  # the orchestrator numbers its frames per connection
	_before.clear()
	_last.clear()
	_json_out.clear()
	_json_objects.clear()


# ---- target: frames received (the adapter tells them from blob chunks by their first byte) ----
# A preview, applied at once in place (latest wins): each record is the object's whole canonical
# transform (+Y up, metres: nothing converts). An id this Godot does not hold is skipped. What the
# frame set becomes what this Godot last agreed with the orchestrator for that transform (the
# source's baseline), so the next scan does not stream it back. A frame that breaks the layout is
# logged and none of it applied; nothing is ever sent back for a live frame.
func on_frame(frame: PackedByteArray) -> void:
	var f = Live.decode(frame)
	if f.has("error"):
		emit_signal("event", {"event": "live_refused", "message": f["error"]})
		printerr("VibeSync: a live frame this Godot cannot read, ignored: ", f["error"])
		return
	var moved = 0
	for r in f["records"]:
		var n = _io.node(r["id"])
		if n == null:
			continue
		var t = {"position": r["position"], "rotation": r["rotation"], "scale": r["scale"]}
		_io.set_transform(n, t)
		_applied[r["id"]] = [f["frame"], t]
		_net.rebase_transform(r["id"], _io.read_transform(n))
		moved += 1
	received += 1
	emit_signal("event", {"event": "live_applied", "frame": f["frame"], "count": f["records"].size(), "moved": moved})


# After a settle's tx_begin (its hash computed from the settled values): an object a live frame
# later than `live_frame` moved keeps that frame's transform; the next settle makes it durable.
func keep_newer(ids: Array, live_frame: int) -> void:
	var kept = 0
	for id in ids:
		var got = _applied.get(id)
		var n = _io.node(id)
		if got != null and got[0] > live_frame and n != null:
			_io.set_transform(n, got[1])
			kept += 1
	if kept > 0:
		emit_signal("event", {"event": "live_kept", "liveFrame": live_frame, "objects": kept})


# ---- source: the moving nodes stream as frames ----
# Called on every scan that compared the scene, with its mutations (before anything is sent): a scan
# without a node's transform ends its motion. Returns how many scans in a row before this one each
# node was moving, for stream().
func track(muts: Array) -> Dictionary:
	var moved_before = _moving
	_moving = {}
	for m in muts:
		if m["op"] == "set_transform":
			_moving[m["objectId"]] = moved_before.get(m["objectId"], 0) + 1
	return moved_before


# [live records sent, the rest for a batch]: an object that is moving (its transform changed in the
# two scans before this one too, 100 ms of motion: an animation, physics, a drag) and whose only
# change this scan is its transform goes as a live record (its whole transform); a single edit stays
# a JSON mutation, acknowledged, and so do the first steps of a motion. Never while a batch touching
# the object is unacknowledged: live frames are handled on arrival and batches in the connection's
# turn, so a live frame must never overtake a JSON change of the same object (a create, a rename, the
# first step of a move). Everything goes to the batch unless the lane is granted and enabled.
func stream(muts: Array, now: Dictionary, moving: Dictionary) -> Array:
	if not (granted and enabled):
		return [[], muts]
	var per_object = {}
	for m in muts:
		var subj = Protocol.subject(m)
		if subj[0] == "object":
			per_object[subj[1]] = per_object.get(subj[1], 0) + 1
	var records = []
	var rest = []
	for m in muts:
		var id = m.get("objectId")
		if m["op"] == "set_transform" and moving.get(id, 0) >= MOVING_SCANS and per_object[id] == 1 and not _json_objects.has(id):
			var t = now[id]["transform"]
			records.append({"id": id, "position": t["position"], "rotation": t["rotation"], "scale": t["scale"]})
		else:
			rest.append(m)
	if not records.is_empty():
		_send(records)
	return [records, rest]


# Sends whole transforms as live frames numbered from 1 per connection (at most 5,000 records each);
# remembers what the baseline held before each, for an error naming the frame.
func _send(records: Array) -> void:
	var i = 0
	while i < records.size():
		var part = Compat.slice(records, i, min(i + Live.MAX_RECORDS, records.size()))
		var enc = Live.encode(sent + 1, part)
		if enc.has("error"):
			_net.send_error("SOURCE_FAILED", "live frame: " + enc["error"], null, null)
			return
		if _net.send_binary(enc["bytes"]) != OK:
			return
		sent += 1
		var before = {}
		for r in part:
			var t = _net.baseline_transform(r["id"])
			if t != null:
				before[r["id"]] = t
			_last[r["id"]] = sent
		_before[sent] = before
		emit_signal("event", {"event": "live_sent", "frame": sent, "count": part.size()})
		i += Live.MAX_RECORDS
	while _before.size() > 256:  # errors come back within a few frames
		_before.erase(_before.keys()[0])  # the oldest: frames are added in order


# A batch the adapter sent (`ref`: its message id, or null if it did not leave): its objects stay
# out of live frames until its ack or error.
func batch_sent(ref, part: Array) -> void:
	if ref == null:
		return
	var ids = []
	for m in part:
		var subj = Protocol.subject(m)
		if subj[0] == "object":
			ids.append(subj[1])
			_json_objects[subj[1]] = _json_objects.get(subj[1], 0) + 1
	_json_out[ref] = ids


func batch_done(ref) -> void:
	if typeof(ref) != TYPE_STRING or not _json_out.has(ref):
		return
	for id in _json_out[ref]:
		_json_objects[id] -= 1
		if _json_objects[id] <= 0:
			_json_objects.erase(id)
	_json_out.erase(ref)


func on_settled(body: Dictionary) -> void:
	settled = int(max(settled, body["frame"]))
	emit_signal("event", {"event": "live_settled", "frame": body["frame"], "seq": body["seq"], "count": body["count"]})


# Any error: it may answer a batch, or name a live frame (`ref` "live:<n>"): frame n was dropped
# whole by the orchestrator, so what the baseline holds of its objects goes back to before it (unless
# a later frame carried them again) and the next scan sends them again (a NON_FINITE or a DIRTY
# branch also brings a snapshot_request).
func on_error(body: Dictionary) -> void:
	batch_done(body.get("ref"))
	if typeof(body.get("ref")) != TYPE_STRING or not body["ref"].begins_with("live:"):
		return
	var n = int(body["ref"].substr(5))
	var before = _before.get(n, {})
	_before.erase(n)
	for id in before:
		if _last.get(id) == n:
			_net.rebase_transform(id, before[id])
	emit_signal("event", {"event": "live_refused_by_orchestrator", "frame": n, "code": body.get("code"), "objects": before.size()})
