# arrange the chairs on a circle
import math
chairs = [o for o in scene.objects if o.name.startswith("Chair")]
for i, chair in enumerate(chairs):
    angle = math.tau * i / max(len(chairs), 1)
    chair.position = (math.cos(angle) * 3, 0, math.sin(angle) * 3)
    chair.rotation = (0, math.sin(-angle / 2), 0, math.cos(-angle / 2))
