# a red material on the cube
red = scene.create_material("mat-red", name="Red", base_color=(1.0, 0.0, 0.0, 1.0), roughness=0.4)
scene.objects["cube"].materials = [red.id]
