# quarter turn about Y
import math
h = math.radians(90) / 2
for o in scene.objects:
    o.rotation = (0.0, math.sin(h), 0.0, math.cos(h))
