# an attribute on an allowed function stays in this run (the next run gets a fresh copy)
from colorsys import hsv_to_rgb
hsv_to_rgb.note = "mine"
print(hsv_to_rgb.note)
