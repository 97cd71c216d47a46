import bpy
from mathutils import Vector


def lerp(a, b, t):
    return a + (b - a) * t


start = Vector((0.0, 0.0, 0.0))
end = Vector((10.0, 4.0, 0.0))
markers = sorted((o for o in bpy.data.objects if o.name.startswith("Marker")), key=lambda o: o.name)
steps = max(len(markers) - 1, 1)
for i, marker in enumerate(markers):
    marker.location = lerp(start, end, i / steps)
    print(f"{marker.name}: {tuple(round(c, 2) for c in marker.location)}")
