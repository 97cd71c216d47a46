# move the children of the table with it
table = scene.objects["table"]
for cid in table.children:
    c = scene.objects[cid]
    x, y, z = c.position
    c.position = (x, y + 0.75, z)
