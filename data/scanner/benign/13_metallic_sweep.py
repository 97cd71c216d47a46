# metallic from 0 to 1 across the materials, sorted by name
mats = sorted(scene.materials, key=lambda m: m.name)
for i, mat in enumerate(mats):
    mat.metallic = i / max(len(mats) - 1, 1)
