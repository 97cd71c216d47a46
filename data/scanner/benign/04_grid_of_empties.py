# a 4 x 4 grid of markers
for i in range(16):
    row, col = divmod(i, 4)
    scene.create_object(f"marker-{i}", name=f"Marker {i}", position=(col * 2.0, 0.0, row * 2.0))
