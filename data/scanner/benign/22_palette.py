# a five-colour palette
from colorsys import hls_to_rgb
for i in range(5):
    r, g, b = hls_to_rgb(i / 5, 0.5, 0.7)
    scene.create_material(f"palette-{i}", name=f"Palette {i}", base_color=(r, g, b, 1))
