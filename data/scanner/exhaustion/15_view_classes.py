# every view of an object is a new class: keeping a million of them
keep = [scene.objects["cube"] for _ in range(1000000)]
