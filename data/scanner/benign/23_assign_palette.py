# cycle the palette over the meshes
palette = [m.id for m in scene.materials if m.name.startswith("Palette")]
meshes = [o for o in scene.objects if o.type == "mesh"]
for i, o in enumerate(meshes):
    if palette:
        o.materials = [palette[i % len(palette)]]
