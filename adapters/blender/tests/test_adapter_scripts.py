# The adapter's handling of script_run inside Blender: every script it is asked to run gets an
# answer (a refusal, an error, or a result), and stopping the adapter stops running scripts.
import time
import unittest

import bpy

from vibesync_blender.ai_scripts import isolate
from vibesync_blender.blender.adapter import router
from vibesync_blender.blender.adapter import scripts as scripts_mod
from vibesync_blender.core import ids


class FakeSession:
    roles = ["source", "target"]
    state = "connected"

    def __init__(self):
        self.sent = []

    def send(self, mtype, body):
        self.sent.append((mtype, body))
        return "m%d" % len(self.sent)

    def stop(self):
        pass


class AdapterScriptTests(unittest.TestCase):
    def setUp(self):
        bpy.ops.wm.read_factory_settings(use_empty=False)
        self.a = router.Adapter("ws://127.0.0.1:1/adapter", "t", "blender", ["unity"])
        ids.current = self.a.ids
        self.a.session = FakeSession()
        self.cube = self.a.current()["objects"]
        self.cube = next(i for i, o in self.cube.items() if o["name"] == "Cube")

    def tearDown(self):
        self.a.stop()
        ids.current = None

    def run_script(self, code, tx="tx-1"):
        self.a.dispatch({"id": "r-" + tx, "type": "script_run", "body": {"txId": tx, "code": code, "touches": [self.cube]}})
        deadline = time.time() + 15
        while self.a.scripts.running and time.time() < deadline:
            time.sleep(0.02)
            self.a.scripts.poll()
        return [(t, b) for t, b in self.a.session.sent if b.get("txId") == tx]

    def test_a_long_constant_chain_is_refused_as_a_resource_limit(self):
        sent = self.run_script("x = " + " + ".join(["1"] * 1000))
        self.assertEqual([(t, b["code"]) for t, b in sent], [("error", "RESOURCE_LIMIT")])

    def test_an_unexpected_failure_while_starting_a_script_still_answers(self):
        real = scripts_mod.ScriptJob

        def broken(*args, **kwargs):
            raise KeyError("a bug")

        scripts_mod.ScriptJob = broken
        try:
            sent = self.run_script("objects['%s']['position'] = [1, 2, 3]" % self.cube)
        finally:
            scripts_mod.ScriptJob = real
        self.assertEqual([(t, b["code"], b["ref"]) for t, b in sent], [("error", "TARGET_FAILED", "r-tx-1")])
        self.assertEqual(self.a.scripts.running, {})

    def test_a_script_runs_and_its_result_is_sent(self):
        sent = self.run_script("objects['%s']['position'] = [1, 2, 3]" % self.cube)
        self.assertEqual([t for t, _ in sent], ["script_result"])
        self.a.transactions.finish("tx-1", "rolled_back")

    @unittest.skipIf(isolate.interpreter() is None, "no Python binary to run scripts in")
    def test_stopping_the_adapter_kills_a_running_script(self):
        self.a.dispatch({"id": "r", "type": "script_run",
                         "body": {"txId": "tx-2", "code": "x = [[0] * 1000000] * 1000000\ny = sorted(x)", "touches": []}})
        job = self.a.scripts.running["tx-2"][0]
        deadline = time.time() + 5
        while job.run._proc is None and time.time() < deadline:
            time.sleep(0.01)
        proc = job.run._proc
        t0 = time.time()
        self.a.stop()
        self.assertEqual(self.a.scripts.running, {})
        proc.wait(2)
        self.assertLess(time.time() - t0, 2.0)  # well before the 4 s timeout
        self.assertIsNotNone(proc.returncode)


if __name__ == "__main__":
    unittest.main()
