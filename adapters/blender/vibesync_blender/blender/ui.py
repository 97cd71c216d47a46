# Add-on preferences (URL, token, engine name, targets) and the N-panel in the 3D view sidebar:
# connection state, generation, last sync, what is in flight (core/status.py), and connect/disconnect.
import time

import bpy

from ..core import compat, status
from ..core.config import config_from
from . import running

# The add-on's module name, which keys its preferences: "vibesync_blender", or
# "bl_ext.<repository>.vibesync_blender" as a Blender 4.2+ extension. This module is one level below.
ADDON = __package__.rpartition(".")[0]


class VibeSyncPreferences(bpy.types.AddonPreferences):
    bl_idname = ADDON

    url: bpy.props.StringProperty(name="Orchestrator URL", default="ws://127.0.0.1:7420/adapter")
    token: bpy.props.StringProperty(name="Adapter token", subtype="PASSWORD")
    engine_name: bpy.props.StringProperty(name="Engine name", default="blender")
    targets: bpy.props.StringProperty(name="Targets", description="Comma-separated engine names that receive this Blender's changes")

    def draw(self, context):
        for prop in ("url", "token", "engine_name", "targets"):
            self.layout.prop(self, prop)


def _prefs(context):
    addon = context.preferences.addons.get(ADDON)
    return addon.preferences if addon else None


class VIBESYNC_OT_connect(bpy.types.Operator):
    bl_idname = "vibesync.connect"
    bl_label = "Connect"
    bl_description = "Connect to the VibeSync orchestrator with the token from the preferences"

    def execute(self, context):
        cfg = config_from(_prefs(context))
        if not cfg["token"]:
            self.report({"ERROR"}, "Set the adapter token in the add-on preferences first")
            return {"CANCELLED"}
        refused = compat.may_connect(cfg["url"], getattr(bpy.app, "online_access", None))
        if refused:
            self.report({"ERROR"}, refused)
            return {"CANCELLED"}
        running.start(cfg)
        return {"FINISHED"}


class VIBESYNC_OT_disconnect(bpy.types.Operator):
    bl_idname = "vibesync.disconnect"
    bl_label = "Disconnect"

    def execute(self, context):
        running.stop()
        return {"FINISHED"}


class VIBESYNC_PT_panel(bpy.types.Panel):
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "VibeSync"
    bl_label = "VibeSync"

    def draw(self, context):
        col = self.layout.column()
        a = running.get()
        if a is None:
            col.label(text="Not connected", icon="UNLINKED")
            col.operator("vibesync.connect")
            return
        for text, icon in status.panel_lines(a, time.time()):
            col.label(text=text, icon=icon)
        col.operator("vibesync.disconnect")


CLASSES = (VibeSyncPreferences, VIBESYNC_OT_connect, VIBESYNC_OT_disconnect, VIBESYNC_PT_panel)


def _redraw():
    # the panel shows live numbers; redraw sidebars twice a second
    wm = getattr(bpy.context, "window_manager", None)
    for window in (wm.windows if wm else []):
        for area in window.screen.areas:
            if area.type == "VIEW_3D":
                area.tag_redraw()
    return 0.5


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    if not bpy.app.background and not bpy.app.timers.is_registered(_redraw):
        bpy.app.timers.register(_redraw, persistent=True)


def unregister():
    if bpy.app.timers.is_registered(_redraw):
        bpy.app.timers.unregister(_redraw)
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
