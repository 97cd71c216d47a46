# Headless runs (blender -b): background Blender runs no event loop, so timers and depsgraph
# handlers never fire by themselves. This loop stands in for it on the main thread: tick the
# adapter, let the depsgraph evaluate (which fires depsgraph_update_post) before and after each
# tick, repeat.
import time

import bpy

from .adapter.router import TICK_S
from .app_handlers import add_handlers


def run(adapter, on_step=None, until=None):
    add_handlers()
    while until is None or not until():
        if on_step is not None and on_step(adapter) is False:
            break
        bpy.context.view_layer.update()  # fires depsgraph_update_post for what changed meanwhile
        adapter.tick()
        # evaluate what the tick applied, as the UI does after a timer: the next step (a script)
        # then reads fresh matrix_world values, not the ones from before a live frame landed
        bpy.context.view_layer.update()
        time.sleep(TICK_S)
