# a function of an allowed module and the module it came from
from colorsys import hsv_to_rgb
hsv_to_rgb.__globals__["__builtins__"]["__import__"]("os")
