# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/net/blob_upload.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# Ask, then send (docs/protocol.md "Blobs"): the blobs this Godot holds (meshes it exported, texture
# files) reach the orchestrator only when it says it needs them, in chunk frames, and a change that
# names a blob waits until the orchestrator has stored it. State per connection: reset() on welcome.
# The adapter (adapter.gd) sends through `net`: send(type, body) -> id or null, send_binary(frame)
# -> error; what happens is emitted as `event(Dictionary)`, like the adapter's own events.
extends RefCounted

signal event(e)

const Blobs = preload("res://addons/vibesync/core/blobs.gd")
const Protocol = preload("res://addons/vibesync/core/protocol.gd")
const Compat = preload("res://addons/vibesync/compat.gd")

var _store  # core/blobs.gd: the bytes, by hash
var _net  # the adapter node
var _stored = {}  # hash -> true: the orchestrator said blob_stored (or did not need it)
var _asked = {}  # blob_query id -> [hashes asked about]
var _sending = {}  # hash -> true: named in blob_need, chunks sent, blob_stored not yet seen
var _refused = {}  # hash -> why: RESOURCE_LIMIT; not asked about again on this connection


func _init(store, net):
	_store = store
	_net = net


func reset() -> void:
	_stored.clear()
	_asked.clear()
	_sending.clear()
	_refused.clear()


# True once the orchestrator holds every blob in `hashes`; else asks about those not yet asked
# about (once) and returns false: the caller tries again later.
func all_stored(hashes: Array) -> bool:
	var ask = []
	var missing = false
	for h in hashes:
		if _stored.has(h):
			continue
		missing = true
		var in_flight = _sending.has(h) or _refused.has(h)
		for q in _asked.values():
			in_flight = in_flight or q.has(h)
		if not in_flight and _store.held.has(h):
			ask.append(h)
	var i = 0
	while i < ask.size():
		var part = Compat.slice(ask, i, min(i + Protocol.MAX_BLOB_QUERY, ask.size()))
		var query = []
		for h in part:
			query.append({"hash": h, "kind": Blobs.kind_of(_store.held[h]), "size": _store.held[h].size()})
		var ref = _net.send("blob_query", {"blobs": query})
		if ref != null:
			_asked[ref] = part
		i += Protocol.MAX_BLOB_QUERY
	return not missing


# blob_need: the chunks of every needed blob this Godot still holds; the others asked about are held.
func on_need(body: Dictionary) -> void:
	var asked = _asked.get(body["ref"], [])
	_asked.erase(body["ref"])
	for h in asked:
		if not body["need"].has(h) and not _refused.has(h):
			_stored[h] = true
	var sent = 0
	for h in body["need"]:
		var data = _store.held.get(h)
		if data == null:
			continue  # forgotten since (a mesh edited again): the change that named it is re-read
		for frame in Blobs.chunks(h, data):
			if _net.send_binary(frame) != OK:
				emit_signal("event", {"event": "send_failed", "type": "blob", "hash": h})
				return
		_sending[h] = true
		sent += 1
	emit_signal("event", {"event": "blobs_sent", "need": body["need"].size(), "asked": asked.size(), "sent": sent})


func on_stored(body: Dictionary) -> void:
	_sending.erase(body["hash"])
	_stored[body["hash"]] = true
	emit_signal("event", {"event": "blob_stored", "hash": body["hash"], "size": body["size"]})


# RESOURCE_LIMIT and HASH_MISMATCH name the blob: stop waiting for it. A mismatched one is asked
# about again (the bytes were damaged on the way); one over the Resource Limit is not, on this
# connection: the change that needs it stays unsent, and the event says why.
func on_refused(body: Dictionary) -> void:
	if body["code"] != "RESOURCE_LIMIT" and body["code"] != "HASH_MISMATCH":
		return
	for h in _store.held:
		if body["message"].find(h) >= 0:
			if body["code"] == "RESOURCE_LIMIT":
				_refused[h] = body["code"]
			_sending.erase(h)
			emit_signal("event", {"event": "blob_refused", "hash": h, "code": body["code"], "message": body["message"]})
