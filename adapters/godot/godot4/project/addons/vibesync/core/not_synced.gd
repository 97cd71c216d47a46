# What a Godot source cannot send about a node, decided from plain facts (scene/node_facts.gd reads
# them off the node), so the rule needs no scene tree. A node whose content does not travel is marked
# `notSynced {kind, reason}` (docs/protocol.md, Not synced): the panel's Sync health and /healthz show
# it, and it is never hashed. Never lose something silently. One mark per node: the first kind found
# (skinning, armature, bone_parent, curve, instance, else other), every loss in the reason.
#
# Facts (a Dictionary; a missing key means nothing to report):
#   "node": what the node is when it is not read as a mesh, light or camera: "skeleton", "bone_attachment",
#           "path", "csg", "multimesh", "gridmap", "particles", "sprite", "visual" (any other visual
#           instance), or ""; "class": its class name; "count": its bones (skeleton), curve points
#           (path) or instances (multimesh); "bone": the bone a bone attachment follows.
#   A mesh instance: "skinned" (a skin, or bone weights in its mesh); "skeleton" and "skeletonClass":
#           the name and class of the skeleton node its `skeleton` path reaches, "bones": its bone
#           count; "blendShapes": their count; "faceless": [[surface, "lines"], ...] surfaces whose
#           primitive is not triangles; "uv2": a surface has ARRAY_TEX_UV2; "colors": ARRAY_COLOR.
#   A camera: "frustum" (PROJECTION_FRUSTUM), "keepWidth" (keep_aspect KEEP_WIDTH: its fov is horizontal).
# No engine class is named here: this file is shared byte for byte by the Godot 3 and 4 builds.

const Compat = preload("res://addons/vibesync/compat.gd")

const MAX_REASON = 256
const EMPTY = "travels as an empty with its transform"


# The mark for a node with these facts, {"kind", "reason"}, or null when everything it holds travels.
static func mark(f: Dictionary):
	var kind = ""
	var parts = []
	var what = f.get("node", "")
	var cls = f.get("class", "")
	match what:
		"skeleton":
			kind = "armature"
			parts.append("%s (%s) not sent: %s; meshes bound to it travel in their rest pose" % [cls, _count(f.get("count", 0), "bone"), EMPTY])
		"bone_attachment":
			kind = "bone_parent"
			parts.append("%s follows bone \"%s\": travels as an empty at its current transform (the bone link is not sent)" % [cls, f.get("bone", "")])
		"path":
			kind = "curve"
			parts.append("%s curve (%s) not sent: %s" % [cls, _count(f.get("count", 0), "point"), EMPTY])
		"multimesh":
			kind = "instance"
			parts.append("%s (%s of its mesh) not sent: %s" % [cls, _count(f.get("count", 0), "instance"), EMPTY])
		"csg":
			parts.append("CSG shape %s not sent (its combined mesh is not read): %s" % [cls, EMPTY])
		"gridmap":
			parts.append("%s cells not sent: %s" % [cls, EMPTY])
		"particles":
			parts.append("%s emitter not sent: %s" % [cls, EMPTY])
		"sprite":
			parts.append("%s (its texture quad) not sent: %s" % [cls, EMPTY])
		"visual":
			parts.append("%s not read: %s" % [cls, EMPTY])
	if f.get("skinned", false):
		if kind == "":
			kind = "skinning"
		var by = "skinned mesh"
		if f.get("skeleton", "") != "":
			by += " (%s \"%s\", %s)" % [f.get("skeletonClass", "skeleton"), f["skeleton"], _count(f.get("bones", 0), "bone")]
		parts.append(by + ": the mesh travels in its rest pose; the skin, bones and weights are not sent")
	if f.get("blendShapes", 0) > 0:
		parts.append("%s not sent" % _count(f["blendShapes"], "blend shape"))
	var faceless = f.get("faceless", [])
	if faceless.size() > 0:
		var names = []
		for s in faceless:
			names.append("%d (%s)" % [s[0], s[1]])
		parts.append("surface%s %s not sent as faces (the mesh blob carries triangles only; their vertices travel loose)" % ["s" if names.size() > 1 else "", Compat.join(_strings(names, ", "))])
	if f.get("uv2", false):
		parts.append("second UV channel (UV2, e.g. lightmap UVs) not sent")
	if f.get("colors", false):
		parts.append("vertex colours not sent")
	if f.get("frustum", false):
		parts.append("frustum projection (its offset) not sent: travels as a perspective camera")
	if f.get("keepWidth", false):
		parts.append("keep_aspect is Keep Width: its horizontal fov travels as the vertical field of view")
	if parts.size() == 0:
		return null
	return {"kind": kind if kind != "" else "other", "reason": cap(Compat.join(_strings(parts, "; ")))}


static func _count(n: int, what: String) -> String:
	return "%d %s%s" % [n, what, "" if n == 1 else "s"]


# Items with `sep` between them, for Compat.join (which joins without a separator).
static func _strings(items: Array, sep: String) -> Array:
	var out = []
	for i in range(items.size()):
		if i > 0:
			out.append(sep)
		out.append(str(items[i]))
	return out


# The protocol's reason is 1-256 characters, counted as JavaScript does (UTF-16 code units: a
# character past U+FFFF counts two): a longer one is cut, ending in an ellipsis.
static func cap(reason: String) -> String:
	var units = 0
	for i in range(reason.length()):
		units += 2 if Compat.code_at(reason, i) > 0xFFFF else 1
	if units <= MAX_REASON:
		return reason
	var out = ""
	units = 1  # the ellipsis
	for i in range(reason.length()):
		var w = 2 if Compat.code_at(reason, i) > 0xFFFF else 1
		if units + w > MAX_REASON:
			break
		units += w
		out += reason[i]
	return out + "…"


# Two marks say the same (null equals null).
static func same(a, b) -> bool:
	if a == null or b == null:
		return a == null and b == null
	return a["kind"] == b["kind"] and a["reason"] == b["reason"]
