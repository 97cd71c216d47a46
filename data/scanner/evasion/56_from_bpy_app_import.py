# import handlers directly from bpy.app
from bpy.app import handlers
handlers.depsgraph_update_post.append(lambda scene: None)
