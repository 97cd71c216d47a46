import bpy
from dataclasses import dataclass


@dataclass
class Placement:
    name: str
    x: float
    y: float
    turn: float = 0.0


layout = [
    Placement("Sofa", 0.0, -2.0),
    Placement("Armchair", 2.2, -0.5, 90.0),
    Placement("CoffeeTable", 0.0, -0.6),
]

for p in layout:
    obj = bpy.data.objects.get(p.name)
    if obj is None:
        continue
    obj.location.x, obj.location.y = p.x, p.y
    obj.rotation_euler.z = p.turn * 3.14159 / 180.0
