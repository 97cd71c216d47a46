# bigger meshes get smaller
for o in scene.objects:
    if o.vertex_count > 10000:
        o.scale = (0.5, 0.5, 0.5)
