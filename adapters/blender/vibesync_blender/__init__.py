# VibeSync Blender add-on: keeps this Blender scene in sync with the VibeSync orchestrator.
# The package is in three folders: core/ (the protocol, hashing and connection, no bpy), blender/
# (everything that imports bpy: registration, handlers, the panel, scene export/apply and the
# adapter) and ai_scripts/ (approved AI scripts; leaving for the orchestrator). This file is only
# what Blender reads: bl_info and register/unregister, which import blender/ when Blender calls
# them, so plain python3 can import the core without bpy.
bl_info = {
    "name": "VibeSync",
    "author": "VibeSync team",
    "version": (0, 1, 0),
    "blender": (3, 0, 0),
    "location": "3D Viewport > Sidebar > VibeSync",
    "description": "Sync this scene with the VibeSync orchestrator (Blender, Unity, Godot)",
    "category": "Import-Export",
}


def register():
    from .blender import addon
    addon.register()


def unregister():
    from .blender import addon
    addon.unregister()
