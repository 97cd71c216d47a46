# Blender-version differences, with stand-ins for what Blender 4.x has and 3.4 (installed here)
# does not: runs in plain python3 and inside Blender.
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender.core import compat


class Node:
    def __init__(self, *names):
        self.inputs = {name: "socket:" + name for name in names}


class Material:
    node_tree = object()


class CompatTests(unittest.TestCase):
    def test_emission_is_found_under_its_blender_4_name_and_its_blender_3_name(self):
        blender4 = Node("Base Color", "Metallic", "Roughness", "Normal", "Emission Color", "Emission Strength", "Alpha")
        blender3 = Node("Base Color", "Metallic", "Roughness", "Normal", "Emission", "Emission Strength", "Alpha")
        self.assertEqual(compat.principled_input(blender4, "emission"), "socket:Emission Color")
        self.assertEqual(compat.principled_input(blender3, "emission"), "socket:Emission")
        for node in (blender3, blender4):
            found = [slot for slot, _ in compat.PRINCIPLED_INPUTS if compat.principled_input(node, slot)]
            self.assertEqual(found, ["base_color", "metallic", "roughness", "normal", "emission", "alpha"])
        self.assertIsNone(compat.principled_input(Node("Base Color"), "emission"))

    def test_a_material_without_use_nodes_uses_its_node_tree(self):
        self.assertTrue(compat.uses_nodes(Material()))  # Blender 5.0: use_nodes is gone, trees are always on
        off = Material()
        off.use_nodes = False
        self.assertFalse(compat.uses_nodes(off))

    def test_online_access_off_allows_only_a_loopback_orchestrator(self):
        self.assertIsNone(compat.may_connect("ws://127.0.0.1:7420/adapter", False))
        self.assertIsNone(compat.may_connect("ws://localhost:7420/adapter", False))
        self.assertIn("Online Access", compat.may_connect("ws://10.0.0.5:7420/adapter", False))
        self.assertIsNone(compat.may_connect("ws://10.0.0.5:7420/adapter", True))
        self.assertIsNone(compat.may_connect("ws://10.0.0.5:7420/adapter", None))  # before 4.2: no such setting


if __name__ == "__main__":
    unittest.main()
