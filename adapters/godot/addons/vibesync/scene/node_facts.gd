# The facts core/not_synced.gd decides a node's notSynced mark from, read off a Godot 3 node. Engine
# layer: it reads nodes and meshes and decides nothing. Only cheap calls (class checks, surface
# formats and primitive types, counts): no surface arrays are copied.
extends Reference

const MeshIO = preload("res://addons/vibesync/scene/mesh_io.gd")


# What node `n` holds that bears on what travels (core/not_synced.gd lists the keys).
static func read(n: Spatial) -> Dictionary:
	var f = {"class": n.get_class()}
	if n is MeshInstance:
		_skin(n, f)
		if n.mesh != null:
			mesh_facts(n.mesh, f)
	elif n is Camera:
		f["frustum"] = n.projection == Camera.PROJECTION_FRUSTUM
		f["keepWidth"] = n.keep_aspect == Camera.KEEP_WIDTH
	elif n is Light:
		pass  # Godot 3's three light classes are the wire's point, spot and directional
	elif n is Skeleton:
		f["node"] = "skeleton"
		f["count"] = n.get_bone_count()
	elif n is BoneAttachment:
		f["node"] = "bone_attachment"
		f["bone"] = n.bone_name
	elif n is Path:
		f["node"] = "path"
		f["count"] = n.curve.get_point_count() if n.curve != null else 0
	elif n is CSGShape:
		f["node"] = "csg"
	elif n is MultiMeshInstance:
		f["node"] = "multimesh"
		f["count"] = n.multimesh.instance_count if n.multimesh != null else 0
	elif n is GridMap:
		f["node"] = "gridmap"
	elif n is Particles or n is CPUParticles:
		f["node"] = "particles"
	elif n is Sprite3D or n is AnimatedSprite3D:
		f["node"] = "sprite"
	elif n is VisualInstance:
		f["node"] = "visual"  # ImmediateGeometry, ReflectionProbe, GIProbe, ...: shown, but not read
	return f


# Skinned: a Skin resource, or bone weights in its surfaces (set in mesh_facts). The Skeleton its
# `skeleton` path reaches is named (Godot 3's default path is "..": a mesh under a Skeleton without
# weights is only its child, not deformed, and is not marked).
static func _skin(n: MeshInstance, f: Dictionary) -> void:
	var sk = n.get_node_or_null(n.skeleton) if not n.skeleton.is_empty() else null
	if sk is Skeleton:
		f["skeleton"] = str(sk.name)
		f["skeletonClass"] = sk.get_class()
		f["bones"] = sk.get_bone_count()
	if n.skin != null:
		f["skinned"] = true


# The facts of a Mesh's surfaces. A PrimitiveMesh (CubeMesh, ...) is triangles with one UV channel
# and nothing else; the point surface a mesh built from a blob keeps for its loose vertices
# (scene/mesh_io.gd) is VibeSync's own and is not counted.
static func mesh_facts(m: Mesh, f: Dictionary) -> void:
	if not m.has_method("surface_get_format"):
		return
	var topo = m.get_meta(MeshIO.META) if m.has_meta(MeshIO.META) else null
	if topo != null and topo.size() != m.get_surface_count():
		topo = null
	var faceless = []
	for s in range(m.get_surface_count()):
		if topo != null and topo[s]["slot"] < 0:
			continue
		var format = m.surface_get_format(s)
		if format & Mesh.ARRAY_FORMAT_TEX_UV2:
			f["uv2"] = true
		if format & Mesh.ARRAY_FORMAT_COLOR:
			f["colors"] = true
		if format & Mesh.ARRAY_FORMAT_BONES:
			f["skinned"] = true
		var p = MeshIO.primitive(m, s)
		if p != Mesh.PRIMITIVE_TRIANGLES:
			faceless.append([s, primitive_name(p)])
	if faceless.size() > 0:
		f["faceless"] = faceless
	if m.has_method("get_blend_shape_count") and m.get_blend_shape_count() > 0:
		f["blendShapes"] = m.get_blend_shape_count()


static func primitive_name(p: int) -> String:
	if p == Mesh.PRIMITIVE_POINTS:
		return "points"
	if p == Mesh.PRIMITIVE_LINES:
		return "lines"
	if p == Mesh.PRIMITIVE_LINE_STRIP:
		return "line strip"
	if p == Mesh.PRIMITIVE_TRIANGLE_STRIP:
		return "triangle strip"
	return "primitive %d" % p  # Godot 3's line loop (3) and triangle fan (6)
