# move one object up by a metre
cube = scene.objects["cube"]
x, y, z = cube.position
cube.position = (x, y + 1.0, z)
