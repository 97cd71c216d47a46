# a spiral of step markers
import math
for i in range(24):
    a = i * math.pi / 8
    scene.create_object(f"step-{i:02d}", name=f"Step {i}", position=(math.cos(a) * 2, i * 0.2, math.sin(a) * 2))
