# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/net/transactions.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# The target's transactions (docs/protocol.md "Flows": "A change, source → targets"): each tx_begin
# is applied in a sandbox that remembers every subject it touches (and the blobs a rollback rebuilds
# from), answered with the hash of what this Godot then holds; tx_commit keeps it, tx_rollback /
# tx_purge / rollback_broadcast put every subject back exactly; a resync replaces the whole scene and
# voids every open sandbox. The adapter (adapter.gd) is `net`: send(type, body) -> id or null,
# send_error(code, message, ref, tx_id), and what it last agreed with the orchestrator (its
# baseline): rebase(box) after a transaction ends, rebase_all() after a resync; the live lane
# (net/live_lane.gd) keeps a live frame newer than a settle. What happens is emitted as
# `event(Dictionary)`, like the adapter's own events.
extends RefCounted

signal event(e)

const C = preload("res://addons/vibesync/core/canonical.gd")
const Protocol = preload("res://addons/vibesync/core/protocol.gd")
const SceneIO = preload("res://addons/vibesync/scene/scene_io.gd")
const Compat = preload("res://addons/vibesync/compat.gd")

var hold_hash = false  # tests only: keep the import "running" (no tx_hash sent), as a slow import would

var _io  # scene/scene_io.gd
var _live  # net/live_lane.gd
var _net  # the adapter node
var _sandboxes = {}  # txId -> {"objects": {id: wire|null}, "materials": {...}, "blobs": {hash: bytes|null}}


func _init(io, live, net):
	_io = io
	_live = live
	_net = net


# True while a transaction is applied and not yet ended (a source neither scans nor snapshots then).
func has_open() -> bool:
	return not _sandboxes.is_empty()


func on_begin(m: Dictionary) -> void:
	var body = m["body"]
	var tx_id = body["txId"]
	var before = {"objects": {}, "materials": {}, "blobs": {}}  # blobs: the bytes a rollback rebuilds from
	var failure = ""
	for mut in body["mutations"]:
		var subj = Protocol.subject(mut)
		var kind = "objects" if subj[0] == "object" else "materials"
		if not before[kind].has(subj[1]):
			before[kind][subj[1]] = _read_subject(kind, subj[1])
			if kind == "objects":
				for h in Protocol.object_blobs([before[kind][subj[1]]]):
					before["blobs"][h] = _io.blobs.held.get(h)
		failure = _apply(mut)
		if failure != "":
			break
	if failure != "":
		_restore(before)
		emit_signal("event", {"event": "tx_failed", "txId": tx_id, "message": failure})
		_net.send_error("TARGET_FAILED", failure, m["id"], tx_id)
		return
	_sandboxes[tx_id] = before
	var after_o = {}
	for id in before["objects"]:
		after_o[id] = _read_subject("objects", id)
	var after_m = {}
	for id in before["materials"]:
		after_m[id] = _read_subject("materials", id)
	var h = C.tx_hash(after_o, after_m)
	if body.has("liveFrame"):
		_live.keep_newer(before["objects"].keys(), int(body["liveFrame"]))
	if hold_hash:
		emit_signal("event", {"event": "tx_held", "txId": tx_id, "hash": h})
		return
	_net.send("tx_hash", {"txId": tx_id, "hash": h})
	emit_signal("event", {"event": "tx_hash", "txId": tx_id, "hash": h, "mutations": body["mutations"].size()})


# tx_commit ("committed"), tx_rollback ("rolled_back"), tx_purge ("purged").
func on_end(tx_id: String, outcome: String) -> void:
	var box = _sandboxes.get(tx_id)
	_sandboxes.erase(tx_id)
	if box != null:
		if outcome != "committed":
			_restore(box)
		_net.rebase(box)
	_net.send("tx_done", {"txId": tx_id, "outcome": outcome})
	emit_signal("event", {"event": "tx_done", "txId": tx_id, "outcome": outcome, "hash": _io.scene_hash()})


func on_rollback_broadcast(tx_id: String) -> void:
	if _sandboxes.has(tx_id):
		_restore(_sandboxes[tx_id])
		_sandboxes.erase(tx_id)
	emit_signal("event", {"event": "rollback_broadcast", "txId": tx_id})


func _read_subject(kind: String, id: String):
	if kind == "objects":
		var n = _io.node(id)
		return _io.read_object(n) if n != null else null
	return _io.read_material(id) if _io.materials.has(id) else null


# Applies one mutation; returns "" or why it cannot be applied.
func _apply(mut: Dictionary) -> String:
	match mut["op"]:
		"set_transform":
			var n = _io.node(mut["objectId"])
			if n == null:
				return "unknown object " + mut["objectId"]
			var t = _io.read_object(n)["transform"]
			for k in mut["transform"]:
				t[k] = mut["transform"][k]
			_io.set_transform(n, t)
		"set_props":
			var n = _io.node(mut["objectId"])
			if n == null:
				return "unknown object " + mut["objectId"]
			var o = _io.read_object(n)
			for k in mut["props"]:
				o[k] = mut["props"][k]
			if o["parent"] != null and _io.node(o["parent"]) == null:
				return "unknown parent " + str(o["parent"])
			_io.apply_object(n, o)
			return _io.take_error()
		"create":
			var o = mut["object"]
			if _io.node(o["id"]) != null:
				return "object exists " + o["id"]
			if o["parent"] != null and _io.node(o["parent"]) == null:
				return "unknown parent " + str(o["parent"])
			_io.create_object(o)
			return _io.take_error()
		"delete":
			if _io.node(mut["objectId"]) == null:
				return "unknown object " + mut["objectId"]
			_io.delete_object(mut["objectId"])
		"upsert_material":
			_io.upsert_material(mut["material"])
			return _io.take_error()
		"set_material":
			if not _io.materials.has(mut["materialId"]):
				return "unknown material " + mut["materialId"]
			var mm = _io.read_material(mut["materialId"])
			for k in mut["changes"]:
				mm[k] = mut["changes"][k]
			_io.upsert_material(mm)
			return _io.take_error()
		_:
			return "unknown op " + str(mut["op"])
	return ""


# Puts every subject back exactly as it was before the transaction.
func _restore(before: Dictionary) -> void:
	for h in before["blobs"]:
		if before["blobs"][h] != null and not _io.blobs.held.has(h):
			_io.blobs.held[h] = before["blobs"][h]  # a mesh made here, forgotten since it was replaced
	for id in before["materials"]:
		if before["materials"][id] == null:
			_io.delete_material(id)
		else:
			_io.upsert_material(before["materials"][id])
	var existed = []
	for id in before["objects"]:
		if before["objects"][id] != null:
			existed.append(before["objects"][id])
	for o in SceneIO.parents_first(existed):
		var n = _io.node(o["id"])
		if n == null:
			_io.create_object(o)
		else:
			_io.apply_object(n, o)
	var created = []
	for id in before["objects"]:
		if before["objects"][id] == null and _io.node(id) != null:
			created.append(id)
	# children first
	Compat.sort_custom(created, self, "_deeper_first")
	for id in created:
		_io.delete_object(id)


func _deeper_first(a, b) -> bool:
	return _depth(_io.node(a)) > _depth(_io.node(b))


func _depth(n) -> int:
	var d = 0
	while n != null and n != _io.root:
		n = n.get_parent()
		d += 1
	return d


# resync: the whole scene replaced by the orchestrator's; `ref` is the resync's message id.
func on_resync(body: Dictionary, ref: String) -> void:
	var t0 = Time.get_ticks_usec()
	_sandboxes.clear()  # a resync replaces everything: open sandboxes are void
	_io.take_error()
	_io.replace_scene(body["scene"])
	var failed = _io.take_error()  # e.g. a mesh blob never received: the hash below shows what is held
	if failed != "":
		emit_signal("event", {"event": "resync_incomplete", "message": failed})
	var t1 = Time.get_ticks_usec()
	var h = _io.scene_hash()  # re-encodes every mesh just built
	var t2 = Time.get_ticks_usec()
	_net.rebase_all()
	var ms = (Time.get_ticks_usec() - t0) / 1000.0
	var times = {"applyMs": (t1 - t0) / 1000.0, "hashMs": (t2 - t1) / 1000.0}
	emit_signal("event", {"event": "resync", "hash": h, "expected": body["hash"], "objects": body["scene"]["objects"].size(), "ms": ms, "times": times})
	if h != body["hash"]:
		# what Godot holds is not the scene it was sent (an area light, a blob never received): say so, typed
		_net.send_error("TARGET_FAILED", "resync: " + _not_held(_io.read_scene(), body["scene"]), ref, null)


# Names the objects and materials whose canonical form here differs from the one sent.
static func _not_held(held: Dictionary, sent: Dictionary) -> String:
	var parts = []
	for kind in ["objects", "materials"]:
		var mine = {}
		var theirs = {}
		var names = {}
		for x in held[kind]:
			mine[x["id"]] = C.object_hash(x) if kind == "objects" else C.material_hash(x)
			names[x["id"]] = x["name"]
		for x in sent[kind]:
			theirs[x["id"]] = C.object_hash(x) if kind == "objects" else C.material_hash(x)
			names[x["id"]] = x["name"]
		var differ = []
		for id in names:
			if mine.get(id) != theirs.get(id):
				differ.append(names[id])
		differ.sort()
		if differ.size() > 0:
			var shown = []
			for i in range(min(10, differ.size())):
				shown.append(("" if i == 0 else ", ") + str(differ[i]))
			var more = " …" if differ.size() > 10 else ""
			parts.append(("" if parts.size() == 0 else "; ") + "%d %s held differently than sent: %s%s" % [differ.size(), kind, Compat.join(shown), more])
	return Compat.join(parts) if parts.size() > 0 else "the scene hash differs"
