# JSON for outgoing frames. Godot 3's JSON.print writes floats with 6 significant digits
# (1/3 -> 0.333333), which would change every value on the wire; this writer emits the shortest of
# 15/16/17 significant digits that parses back to the same double, integers as integers.
# Strings use the canonical escaping (valid JSON). Pure. The same file in the Godot 3 and 4 builds
# (what differs goes through compat.gd).

const C = preload("res://addons/vibesync/core/canonical.gd")
const Compat = preload("res://addons/vibesync/compat.gd")


static func stringify(value) -> String:
	var parts = []
	_into(value, parts)
	return Compat.join(parts)


static func _into(value, parts: Array) -> void:
	var t = typeof(value)
	if t == TYPE_NIL:
		parts.append("null")
	elif t == TYPE_BOOL:
		parts.append("true" if value else "false")
	elif t == TYPE_INT:
		parts.append(str(value))
	elif t == Compat.FLOAT_TYPE:
		parts.append(number(value))
	elif t == TYPE_STRING:
		parts.append(C.quote(value))
	elif t == TYPE_ARRAY or Compat.PACKED_ARRAY_TYPES.has(t):
		parts.append("[")
		var first = true
		for v in value:
			if not first:
				parts.append(",")
			first = false
			_into(v, parts)
		parts.append("]")
	elif t == TYPE_DICTIONARY:
		parts.append("{")
		var first = true
		for k in value:
			if not first:
				parts.append(",")
			first = false
			parts.append(C.quote(str(k)))
			parts.append(":")
			_into(value[k], parts)
		parts.append("}")
	else:
		parts.append(C.quote(str(value)))


static func number(x: float) -> String:
	if is_nan(x) or is_inf(x):
		return "null"  # never sent: values are range-checked first
	if x == floor(x) and abs(x) < 1e15:
		return str(int(x))
	var neg = x < 0
	var a = abs(x)
	var e = int(floor(log(a) / log(10.0)))
	var best = ""
	for p in [15, 16, 17]:
		var s = _digits(a, p, e)
		if s.to_float() == a:
			best = s
			break
		if p == 17:
			best = s
	return ("-" if neg else "") + best


# a with p significant digits, as "d.ddddde<exp>"
static func _digits(a: float, p: int, e: int) -> String:
	var k = p - 1 - e
	var m: int
	if k >= 0:
		m = int(round(a * pow(10.0, k))) if k <= 300 else int(round(a * pow(10.0, 300) * pow(10.0, k - 300)))
	else:
		m = int(round(a / pow(10.0, -k)))
	var ds = str(m)
	if ds.length() > p:  # rounding carried into a new digit
		e += 1
		ds = ds.substr(0, p)
	while ds.length() > 1 and ds.ends_with("0"):
		ds = ds.substr(0, ds.length() - 1)
	var out = ds.substr(0, 1)
	if ds.length() > 1:
		out += "." + ds.substr(1)
	return out + "e" + str(e)
