# The adapter's lines on Blender's console ("[vibesync] ..."): what someone watching it should see.


def log(*args):
    print("[vibesync]", *args, flush=True)
