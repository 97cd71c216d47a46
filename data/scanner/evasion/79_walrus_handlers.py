# handlers through a walrus alias
import bpy
(app := bpy.app).handlers.load_post.append(print)
