# str.format reached through a class pattern, then leaked into a name
match "":
    case str(format=f):
        scene.objects["cube"].name = f("{0}", scene)
