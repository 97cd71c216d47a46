import bpy
import math

tiles = [o for o in bpy.data.objects if o.name.startswith("Tile")]
for frame in range(1, 121, 4):
    for tile in tiles:
        phase = (tile.location.x + tile.location.y) * 0.5
        tile.location.z = 0.3 * math.sin(frame * 0.1 + phase)
        tile.keyframe_insert(data_path="location", index=2, frame=frame)
