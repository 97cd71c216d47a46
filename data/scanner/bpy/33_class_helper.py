import bpy
import math


class Orbit:
    """Places objects on an ellipse."""

    def __init__(self, rx, ry):
        self.rx = rx
        self.ry = ry

    def point(self, t):
        return (self.rx * math.cos(t), self.ry * math.sin(t), 0.0)


orbit = Orbit(6.0, 3.5)
moons = [o for o in bpy.data.objects if o.name.startswith("Moon")]
for i, moon in enumerate(moons):
    moon.location = orbit.point(i * 2 * math.pi / len(moons))
