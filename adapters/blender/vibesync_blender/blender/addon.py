# Registering the add-on: the preferences and panel (ui.py), the bpy handlers (app_handlers.py) and
# the main-thread timer that ticks the running adapter. Unregistering stops the adapter first.
import bpy

from . import app_handlers, running, ui


def _timer():
    adapter = running.get()
    return adapter.tick() if adapter is not None else 0.5


def register():
    ui.register()
    app_handlers.add_handlers()
    if not bpy.app.timers.is_registered(_timer):
        bpy.app.timers.register(_timer, first_interval=0.1, persistent=True)


def unregister():
    running.stop()
    if bpy.app.timers.is_registered(_timer):
        bpy.app.timers.unregister(_timer)
    app_handlers.remove_handlers()
    ui.unregister()
