# Inside Blender: installs the add-on zip the way a user does (Preferences > Install), enables it,
# and prints what registered. Run with BLENDER_USER_SCRIPTS pointing at a scratch folder.
import json
import sys

import bpy

zip_path = sys.argv[sys.argv.index("--") + 1]
bpy.ops.preferences.addon_install(filepath=zip_path, overwrite=True)
bpy.ops.preferences.addon_enable(module="vibesync_blender")
addon = bpy.context.preferences.addons.get("vibesync_blender")
import vibesync_blender  # noqa: E402

result = {
    "enabled": addon is not None,
    "installed_at": vibesync_blender.__file__,
    "panel": hasattr(bpy.types, "VIBESYNC_PT_panel"),
    "connect_operator": hasattr(bpy.ops.vibesync, "connect"),
    "prefs": {k: getattr(addon.preferences, k) for k in ("url", "engine_name", "targets")} if addon else None,
    "handlers": [h.__name__ for h in bpy.app.handlers.depsgraph_update_post],
}
bpy.ops.preferences.addon_disable(module="vibesync_blender")
result["panel_after_disable"] = hasattr(bpy.types, "VIBESYNC_PT_panel")
print("INSTALL " + json.dumps(result), flush=True)
