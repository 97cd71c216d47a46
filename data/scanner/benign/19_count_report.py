# a report, no changes
counts = {}
for o in scene.objects:
    counts[o.type] = counts.get(o.type, 0) + 1
for kind in sorted(counts):
    print(kind, counts[kind])
