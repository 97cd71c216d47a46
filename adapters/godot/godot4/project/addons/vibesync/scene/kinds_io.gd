# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/addons/vibesync/scene/kinds_io.gd: edit that
# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).
# Lights and cameras between Godot 3 nodes and the wire (docs/adapters/godot.md, Lights and cameras).
# Read back from the nodes, never echoed. Units: an OmniLight3D's or SpotLight3D's light_energy is the
# wire's watts / 1024 (a power of two, so the round trip is exact in float32; Blender's default
# 1000 W point light becomes energy 0.98, about Godot's default 1); a DirectionalLight3D's energy is the
# wire's W/m² as it is. A range of "no cut-off" (null) is Godot's largest inspector range, 4096 m, and
# a range of 4096 m or more reads back as null. SpotLight3D.spot_angle is the outer half-angle in
# degrees; Godot 3 has no inner cone, so the inner/outer ratio is kept in spot_angle_attenuation =
# 1 + 4 x (1 - inner / outer). Godot 3 has no area light: one arrives as an OmniLight3D and reads back as
# a point light, so its hash differs and the transaction rolls back (visible, never pretended).
# A Camera3D's fov is the vertical field of view in degrees (keep_aspect = KEEP_HEIGHT), its size the
# full vertical extent (the wire's orthoSize is half of it).
extends RefCounted

const WATTS_PER_ENERGY = 1024.0
const NO_RANGE = 4096.0


static func light_class(kind: String):
	match kind:
		"spot":
			return SpotLight3D
		"directional":
			return DirectionalLight3D
	return OmniLight3D


static func read_light(n: Light3D) -> Dictionary:
	var c = n.light_color
	var l = {"kind": "point", "color": [c.r, c.g, c.b], "intensity": n.light_energy * WATTS_PER_ENERGY, "range": null, "spot": null}
	if n is DirectionalLight3D:
		l["kind"] = "directional"
		l["intensity"] = n.light_energy
	elif n is SpotLight3D:
		l["kind"] = "spot"
		l["range"] = null if n.spot_range >= NO_RANGE else n.spot_range
		var outer = (n.spot_angle * PI / 180.0)
		var ratio = 1.0 - (clamp(n.spot_angle_attenuation, 1.0, 5.0) - 1.0) / 4.0
		l["spot"] = {"inner": outer * ratio, "outer": outer}
	elif n is OmniLight3D:
		l["range"] = null if n.omni_range >= NO_RANGE else n.omni_range
	return l


static func apply_light(n: Light3D, l: Dictionary) -> void:
	n.light_color = Color(l["color"][0], l["color"][1], l["color"][2])
	n.light_energy = l["intensity"] if n is DirectionalLight3D else l["intensity"] / WATTS_PER_ENERGY
	var r = NO_RANGE if l["range"] == null else l["range"]
	if n is SpotLight3D:
		n.spot_range = r
		if l["spot"] != null:
			var outer = l["spot"]["outer"]
			n.spot_angle = (outer * 180.0 / PI)
			n.spot_angle_attenuation = 1.0 + 4.0 * (1.0 - (l["spot"]["inner"] / outer if outer > 0 else 1.0))
	elif n is OmniLight3D:
		n.omni_range = r


static func read_camera(n: Camera3D) -> Dictionary:
	var ortho = n.projection == Camera3D.PROJECTION_ORTHOGONAL
	return {
		"projection": "orthographic" if ortho else "perspective",
		"yfov": null if ortho else (n.fov * PI / 180.0),
		"orthoSize": n.size / 2.0 if ortho else null,
		"near": n.near,
		"far": n.far,
	}


static func apply_camera(n: Camera3D, c: Dictionary) -> void:
	n.near = c["near"]
	n.far = c["far"]
	if c["projection"] == "orthographic":
		n.projection = Camera3D.PROJECTION_ORTHOGONAL
		if c["orthoSize"] != null:
			n.size = 2.0 * c["orthoSize"]
	else:
		n.projection = Camera3D.PROJECTION_PERSPECTIVE
		if c["yfov"] != null:
			n.fov = (c["yfov"] * 180.0 / PI)
