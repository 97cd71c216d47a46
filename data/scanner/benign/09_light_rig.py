# a three-point light rig under one parent
rig = scene.create_object("rig", name="Light rig")
for key, pos in (("key", (4, 4, 4)), ("fill", (-4, 2, 4)), ("back", (0, 4, -4))):
    scene.create_object(f"light-{key}", name=key.title(), type="light", parent=rig, position=pos)
