# scatter with a chosen seed
import random
random.seed(7)
for o in scene.objects:
    o.position = (random.uniform(-5, 5), 0, random.uniform(-5, 5))
