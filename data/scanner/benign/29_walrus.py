# a walrus over plain values
if (n := len(scene.objects)) > 10:
    print("big scene", n)
