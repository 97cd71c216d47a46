# keep roughness within 0.2..0.9
for mat in scene.materials:
    mat.roughness = min(max(mat.roughness, 0.2), 0.9)
