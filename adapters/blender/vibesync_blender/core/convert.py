# Blender (right-handed, +Z up, scene units) <-> canonical (right-handed, +Y up, metres, quaternion
# [x, y, z, w]). The basis change C: (x, y, z) -> (x, z, -y) is a proper rotation (-90 deg about X), so
# quaternion vector parts transform like positions and scale axes are permuted, never negated.


def pos_to_canonical(v, unit=1.0):
    x, y, z = v
    return [x * unit, z * unit, -y * unit]


def pos_from_canonical(p, unit=1.0):
    x, y, z = p
    return (x / unit, -z / unit, y / unit)


def quat_to_canonical(wxyz):
    """Blender Quaternion (w, x, y, z) -> canonical [x, y, z, w]."""
    w, x, y, z = wxyz
    return [x, z, -y, w]


def quat_from_canonical(q):
    """canonical [x, y, z, w] -> Blender (w, x, y, z)."""
    x, y, z, w = q
    return (w, x, -z, y)


def scale_to_canonical(s):
    sx, sy, sz = s
    return [sx, sz, sy]


def scale_from_canonical(s):
    sx, sy, sz = s
    return (sx, sz, sy)


def clean(x):
    # -0.0 would survive JSON as "-0.0" on the wire; the canonical form has no signed zero
    return 0.0 if x == 0 else float(x)
