# random hues on every material
import random
from colorsys import hsv_to_rgb
for mat in scene.materials:
    r, g, b = hsv_to_rgb(random.random(), 0.8, 0.9)
    mat.base_color = (r, g, b, 1.0)
