# nested fields in a format spec, named characters and literal braces in labels
width = 6
for i, obj in enumerate(scene.objects):
    obj.name = f"{obj.name[:20]} \N{BULLET} {i:0{width}d} {{{i}}}"
