# shelves: five per row
items = [o for o in scene.objects if o.type == "mesh"]
for i, o in enumerate(items):
    row, col = divmod(i, 5)
    o.position = (col * 0.5, row * 0.4, 0)
