# sets, dicts and generators
names = {o.name for o in scene.objects}
by_id = {o.id: o for o in scene.objects}
total = sum(o.vertex_count for o in scene.objects)
print(len(names), len(by_id), total)
