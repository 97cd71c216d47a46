# Reads a list of {"objects": [...], "materials": [...], "geometry": [...]} on stdin and prints the
# Python hashes of each as JSON, for the property test comparing them with the TypeScript hashing.
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender.core import canonical

def hashes(doc):
    return {
    "objects": [canonical.object_hash(o) for o in doc["objects"]],
    "materials": [canonical.material_hash(m) for m in doc["materials"]],
    "geometry": [canonical.geometry_hash(g["positions"], g["faces"]) for g in doc["geometry"]],
    "scene": canonical.scene_hash({"objects": doc["objects"], "materials": doc["materials"]}),
}


print(json.dumps([hashes(d) for d in json.load(sys.stdin)]))
