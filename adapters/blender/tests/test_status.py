# The sidebar panel's text: "In flight" says what it counts (this Blender's unacknowledged messages
# and open transactions), not a "Pending" that reads like the orchestrator's review queue.
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender.core import status


class Adapter:
    state, busy, name, generation, targets, last_error = "healthy", False, "blender", 7, ["unity"], ""
    last_sync = 100.0
    in_flight = {"unacknowledged": 3, "transactions": 1}


class StatusTests(unittest.TestCase):
    def test_in_flight_names_both_counts_and_nothing_says_pending(self):
        texts = [t for t, _ in status.panel_lines(Adapter(), 130.0)]
        self.assertIn("In flight: 3 not yet acknowledged, 1 transaction open", texts)
        self.assertIn("Last sync: 30 s ago", texts)
        self.assertFalse(any("Pending" in t for t in texts))

    def test_an_idle_never_synced_adapter(self):
        a = Adapter()
        a.last_sync, a.in_flight, a.targets, a.last_error = None, {"unacknowledged": 0, "transactions": 0}, [], "AUTH_FAILED: bad token"
        lines = status.panel_lines(a, 0.0)
        self.assertIn(("In flight: 0 not yet acknowledged, 0 transactions open", "NONE"), lines)
        self.assertIn(("Last sync: never", "NONE"), lines)
        self.assertIn(("Targets: none: local edits are not streamed", "NONE"), lines)
        self.assertEqual(lines[-1], ("AUTH_FAILED: bad token", "INFO"))

    def test_the_live_lane_line_says_how_far_frames_are_settled(self):
        class Live:
            granted, next_frame, settled, received = True, 42, 38, 0
        a = Adapter()
        a.live = Live()
        self.assertIn(("Live lane: 41 frames sent, settled frame 38; 0 received", "NONE"), status.panel_lines(a, 0.0))
        a.live.settled = None
        self.assertIn(("Live lane: 41 frames sent, settled none; 0 received", "NONE"), status.panel_lines(a, 0.0))
        a.live.granted = False
        self.assertIn(("Live lane: not granted (playback goes as batches)", "NONE"), status.panel_lines(a, 0.0))


if __name__ == "__main__":
    unittest.main()
