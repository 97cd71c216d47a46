# Runs the add-on's unit tests inside Blender: blender -b --factory-startup --python blender_suite.py
# Exit code 1 when anything fails (the vitest wrapper asserts on it and on the printed summary).
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

# every unit but test_layers, which proves the core imports without bpy: only plain python3 can
ALL = ["test_canonical", "test_mesh", "test_mesh_edit", "test_image", "test_pixels_png", "test_scene", "test_kinds", "test_compat",
       "test_diff", "test_mutation", "test_stream", "test_animation", "test_status", "test_live"]
names = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
loader = unittest.TestLoader()
suite = loader.loadTestsFromNames(names or ALL)
result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
print("SUITE %s ran=%d failures=%d errors=%d" % ("OK" if result.wasSuccessful() else "FAILED",
                                                result.testsRun, len(result.failures), len(result.errors)))
sys.exit(0 if result.wasSuccessful() else 1)
