# Frame changes inside Blender: frame_set (what playback and scrubbing do) fires no depsgraph update,
# only frame_change_post; the stream pass after it sends the transforms of the objects the frame moves
# (keyframes, drivers, constraints), as the export reads them, and nothing for the others. A frame that
# waits (one in flight) is coalesced: the pass that takes it sends the latest frame once.
import math
import unittest

import bpy

from vibesync_blender.blender import animated, app_handlers, running
from vibesync_blender.blender.stream import Streamer
from vibesync_blender.core import ids


class Stub:
    def __init__(self):
        self.stream = Streamer()


def keyed(name, frames, path="location", parent=None):
    obj = bpy.data.objects.new(name, None)
    bpy.context.scene.collection.objects.link(obj)
    obj.parent = parent
    for frame, value in frames:
        setattr(obj, path, value)
        obj.keyframe_insert(path, frame=frame)
    for fc in obj.animation_data.action.fcurves:
        for k in fc.keyframe_points:
            k.interpolation = "LINEAR"
    return obj


class AnimationTests(unittest.TestCase):
    def setUp(self):
        bpy.ops.wm.read_factory_settings(use_empty=False)
        ids.current = ids.IdRegistry()
        self.stub = Stub()
        running._adapter = self.stub
        app_handlers.add_handlers()
        scene = bpy.context.scene
        self.mover = keyed("Mover", [(1, (0.0, 0.0, 0.0)), (11, (10.0, 0.0, 0.0))])
        self.spinner = keyed("Spinner", [(1, (0.0, 0.0, 0.0)), (11, (0.0, 0.0, 1.5))], "rotation_euler")
        self.child = bpy.data.objects.new("Child", None)
        scene.collection.objects.link(self.child)
        self.child.parent = self.mover
        self.child.location = (0.0, 1.0, 0.0)
        self.follower = bpy.data.objects.new("Follower", None)  # no keys: a constraint moves it
        scene.collection.objects.link(self.follower)
        self.follower.constraints.new("COPY_LOCATION").target = self.mover
        self.driven = bpy.data.objects.new("Driven", None)
        scene.collection.objects.link(self.driven)
        self.driven.driver_add("location", 2).driver.expression = "frame / 10"
        scene.frame_set(1)
        bpy.context.view_layer.update()
        self.s = self.stub.stream
        self.s.set_known(self.s.current(scene), scene)
        self.s.forget_changes()

    def tearDown(self):
        app_handlers.remove_handlers()
        running._adapter = None
        ids.current = None

    def moved(self, muts):
        return {self.s.known["objects"][m["objectId"]]["name"]: m for m in muts}

    def take(self, frames=True):
        muts, cur, how = self.s.take(bpy.context.scene, ["unity"], frames=frames)
        self.s.accept(muts, cur)
        return muts, how

    def test_the_frame_dependent_objects_are_the_keyed_the_driven_and_the_constrained(self):
        self.assertEqual(animated.frame_dependent(bpy.context.scene), {"Mover", "Spinner", "Follower", "Driven"})

    def test_frame_set_sends_the_moved_objects_transforms_and_nothing_else(self):
        bpy.context.scene.frame_set(6)
        self.assertTrue(self.s.changes.frame)
        self.assertFalse(self.s.changes.edits())  # no depsgraph update: the frame flag is all there is
        muts, how = self.take()
        self.assertEqual((how["full"], how["frame"]), (False, 6))
        self.assertEqual({m["op"] for m in muts}, {"set_transform"})
        by = self.moved(muts)
        self.assertEqual(set(by), {"Mover", "Spinner", "Follower", "Driven"})  # not Cube, Light, Camera, Child
        self.assertEqual([round(v, 4) for v in by["Mover"]["transform"]["position"]], [5.0, 0.0, 0.0])
        self.assertEqual([round(v, 4) for v in by["Follower"]["transform"]["position"]], [5.0, 0.0, 0.0])
        self.assertEqual([round(v, 4) for v in by["Driven"]["transform"]["position"]], [0.0, 0.6, 0.0])  # Blender z -> wire y
        q = by["Spinner"]["transform"]["rotation"]  # 0.75 rad about Blender Z = about the wire's Y
        self.assertEqual([round(v, 4) for v in q], [0.0, round(math.sin(0.375), 4), 0.0, round(math.cos(0.375), 4)])
        # the export agrees: a full comparison afterwards finds nothing left to send
        self.s.changes.full = True
        self.assertEqual(self.take()[0], [])

    def test_a_frame_that_waits_is_coalesced_and_sent_once_at_the_latest_frame(self):
        for f in range(2, 9):
            bpy.context.scene.frame_set(f)
            muts, _ = self.take(frames=False)  # one frame in flight: held back, nothing sent
            self.assertEqual(muts, [])
        self.assertTrue(self.s.changes.frame)
        muts, how = self.take()
        self.assertEqual(how["frame"], 8)
        self.assertEqual(round(self.moved(muts)["Mover"]["transform"]["position"][0], 4), 7.0)
        self.assertEqual(len(muts), 4)  # one mutation an object, not one a frame
        self.assertFalse(self.s.changes)

    def test_scrubbing_backwards_sends_the_earlier_transforms(self):
        bpy.context.scene.frame_set(9)
        self.take()
        bpy.context.scene.frame_set(3)
        muts, how = self.take()
        self.assertEqual(how["frame"], 3)
        self.assertEqual(round(self.moved(muts)["Mover"]["transform"]["position"][0], 4), 2.0)

    def test_an_edit_is_not_held_back_behind_a_frame_in_flight(self):
        bpy.context.scene.frame_set(4)
        bpy.data.objects["Cube"].location.x = 3.0
        bpy.context.view_layer.update()
        muts, how = self.take(frames=False)
        self.assertEqual((len(muts), how["frame"]), (1, None))
        self.assertEqual(self.moved(muts).keys(), {"Cube"})
        self.assertTrue(self.s.changes.frame)  # the frame still waits

    def test_a_frame_change_seen_by_the_depsgraph_too_is_sent_once(self):
        bpy.context.scene.frame_current = 5  # then an update: both the depsgraph and the frame flag name Mover
        bpy.context.view_layer.update()
        self.s.changes.frame = True
        muts, _ = self.take()
        names = [n for n in self.moved(muts)]
        self.assertEqual(sorted(names), sorted(set(names)))
        self.assertIn("Mover", names)
        self.assertEqual(self.take()[0], [])


if __name__ == "__main__":
    unittest.main()
