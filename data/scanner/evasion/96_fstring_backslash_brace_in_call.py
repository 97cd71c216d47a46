# the hidden field deep inside an ordinary scene edit
cube = scene.objects["cube"]
cube.name = "Crate " + f"{cube.id}-\{print.__globals__['sys'].modules.keys()}"
