# match on plain values
for o in scene.objects:
    match o.type:
        case "light":
            o.scale = (1, 1, 1)
        case "camera" | "empty":
            pass
        case _:
            o.name = o.name.strip()
