# Simulated playback for tests and the bench: headless Blender has no animation timer, so this
# advances the scene's frame on the adapter's own loop, right before each tick, with frame_set (what
# playback and scrubbing call). With `fps` the frame follows the wall clock, as Blender's playback
# with frame dropping does (frames the loop is too slow for are skipped); without, one frame a tick.
# Runs backwards when `end` < `start`. Emits {"event": "frame", "frame", "t"} per frame set and
# {"event": "played", "frames"} at the end.
import time

import bpy


def play(adapter, emit, start, end, fps=None):
    scene = bpy.context.scene
    real_tick = adapter.tick
    step = 1 if end >= start else -1
    t0 = time.time()
    count = [0]

    def tick():
        if fps:
            frame = start + step * int((time.time() - t0) * fps)
        else:
            frame = scene.frame_current + step if count[0] else start
        frame = min(frame, end) if step > 0 else max(frame, end)
        if frame != scene.frame_current or count[0] == 0:
            scene.frame_set(frame)
            count[0] += 1
            emit({"event": "frame", "frame": frame, "t": time.time()})
        delay = real_tick()
        if frame == end:
            adapter.tick = real_tick
            emit({"event": "played", "frames": count[0], "s": time.time() - t0})
        return delay

    adapter.tick = tick
