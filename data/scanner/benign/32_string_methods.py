# tidy names
for o in scene.objects:
    o.name = o.name.replace("_", " ").title().strip()
