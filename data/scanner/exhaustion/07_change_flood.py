# more changes than one transaction carries
for i in range(100000):
    scene.create_object(f"o{i}")
