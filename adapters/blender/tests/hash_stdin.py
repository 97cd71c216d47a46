# Reads {"objects": [...], "materials": [...], "geometry": [...]} on stdin and prints the Python
# hashes as JSON, for the property test that compares them with the TypeScript implementation.
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender import canonical  # noqa: E402

doc = json.load(sys.stdin)
print(json.dumps({
    "objects": [canonical.object_hash(o) for o in doc["objects"]],
    "materials": [canonical.material_hash(m) for m in doc["materials"]],
    "geometry": [canonical.geometry_hash(g["positions"], g["faces"]) for g in doc["geometry"]],
    "scene": canonical.scene_hash({"objects": doc["objects"], "materials": doc["materials"]}),
}))
