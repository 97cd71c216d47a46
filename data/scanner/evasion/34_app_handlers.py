# persist code beyond the transaction through a load handler
import bpy

def on_load(dummy):
    print("still here")

bpy.app.handlers.load_post.append(on_load)
