# The add-on's folders are its layers: core/ runs in plain python3, only blender/
# imports bpy, and no module takes a name from the package __init__. Checked on the import
# statements of every module (lazy ones inside functions included), and by importing every core
# module in plain python3, which has no bpy (so this file runs in python3 only).
import ast
import importlib
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
PACKAGE = "vibesync_blender"
ENGINE = {"bpy", "bmesh", "mathutils", "gpu", "bgl", "blf", "aud", "addon_utils", "bl_math"}
# the package's folders each folder may import (the engine's own modules only in blender/)
ALLOWED = {
    "core": {"core"},
    "blender": {"core", "blender"},
}


def modules():
    """(dotted name, path) of every module in the package."""
    for folder, dirs, files in os.walk(os.path.join(ROOT, PACKAGE)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def layer_of(dotted):
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PACKAGE else None


def violations(dotted, source, is_package=False):
    """What the module `dotted` (with this source) imports across its layer, one line each."""
    package = dotted if is_package else dotted.rpartition(".")[0]
    layer, bad = layer_of(dotted), []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found = [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            found = [(".".join(base + ([node.module] if node.module else [])), [a.name for a in node.names])]
        else:
            continue
        for target, names in found:
            where = "%s:%d imports %s" % (dotted, node.lineno, target)
            top = target.split(".")[0]
            if top in ENGINE and layer != "blender":
                bad.append(where + ": only blender/ imports the engine")
            if top != PACKAGE or layer not in ALLOWED:
                continue
            # `from .. import x` names subpackages; anything else comes from the package __init__
            folders = names if target == PACKAGE else [target.split(".")[1]]
            for folder in folders:
                if folder not in ALLOWED[layer]:
                    bad.append("%s %s: %s/ may import only %s" % (where, folder, layer, sorted(ALLOWED[layer])))
    return bad


class LayerTests(unittest.TestCase):
    def test_every_module_imports_within_its_layer(self):
        bad = []
        for dotted, path in modules():
            with open(path, encoding="utf-8") as f:
                bad += violations(dotted, f.read(), path.endswith("__init__.py"))
        self.assertEqual(bad, [])

    def test_a_crossing_is_seen(self):
        # the check above would also pass on a checker that finds nothing: these must be refused
        crossings = {
            ("vibesync_blender.core.diff", "import bpy"): "only blender/ imports the engine",
            ("vibesync_blender.core.diff", "def f():\n    from mathutils import Vector\n"): "only blender/ imports the engine",
            ("vibesync_blender.core.diff", "from ..blender import stream"): "core/ may import only ['core']",
            ("vibesync_blender.core.diff", "from ..blender.apply import subject"): "core/ may import only ['core']",
            ("vibesync_blender.blender.ui", "from .. import config_from"): "blender/ may import only",
        }
        for (dotted, code), why in crossings.items():
            with self.subTest(code=code):
                found = violations(dotted, code)
                self.assertEqual(len(found), 1, found)
                self.assertIn(why, found[0])
        allowed = {("vibesync_blender.blender.ui", "import bpy\nfrom ..core import status\nfrom . import running"),
                   ("vibesync_blender.core.diff", "from .mutation import mutation\nimport json")}
        for dotted, code in allowed:
            self.assertEqual(violations(dotted, code), [])

    def test_the_core_imports_in_plain_python(self):
        for dotted, _ in modules():
            if layer_of(dotted) == "core" or dotted == PACKAGE:
                with self.subTest(dotted):
                    importlib.import_module(dotted)
        self.assertNotIn("bpy", sys.modules)


if __name__ == "__main__":
    unittest.main()
