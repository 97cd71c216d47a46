# str.format fetched from the type, not from a literal: the field syntax reads attributes by name
fmt = str.format
scene.objects["cube"].name = fmt("{0.__init__.__globals__}", scene)
