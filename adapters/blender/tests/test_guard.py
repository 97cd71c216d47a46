# The adapter's script wall: refused constructs never run; allowed code runs with no bpy/imports.
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender import guard, isolate  # noqa: E402
from vibesync_blender.script import run_script  # noqa: E402

# each of these runs for more than 10 s as one C-level call if it is allowed to start
COSTLY_SAMPLES = ("x = 3 ** 20000000", "x = sorted(range(30000000))", "x = [0]*300000000")

REFUSED = {
    "import os\nos.system('rm -rf /')": "Import",
    "from subprocess import run": "ImportFrom",
    "x = ().__class__.__bases__[0]": "__bases__",
    "getattr(objects, 'x')": "getattr",
    "eval('1+1')": "eval",
    "exec('print(1)')": "exec",
    "open('/etc/passwd')": "open",
    "__import__('os')": "__import__",
    "compile('1', 'f', 'eval')": "compile",
    "f = lambda: 0\nf.__globals__": "__globals__",
    "k = '__cla' + 'ss__'": "'__'",
    "class X: pass": "ClassDef",
    "try:\n  pass\nexcept Exception:\n  pass": "Try",
    "globals()['x'] = 1": "globals",
    "o = objects['a']\no._secret = 1": "_secret",
    "def f(:": "syntax error",
    "g = (g.gi_frame.f_back.f_globals for _ in [1])\nlist(g)": "f_globals",
    "def f():\n    return 1\nc = f.co_code": "co_code",
    "s = '{0.real}'.format(1)": "format",
}


class GuardTests(unittest.TestCase):
    def test_refuses_every_dangerous_construct_without_running_it(self):
        for code, why in REFUSED.items():
            with self.subTest(code=code):
                ran = {"n": 0}
                with self.assertRaises(guard.ScriptRefused) as err:
                    guard.run(code, {"objects": {}, "ran": ran})
                self.assertIn(why, str(err.exception))
                self.assertEqual(ran["n"], 0)

    def test_allowed_code_runs_with_math_and_the_namespace(self):
        state = {"pos": [0.0, 0.0, 0.0]}
        guard.run("for i in range(3):\n    state['pos'][i] = math.sqrt(4) * (i + 1)\n", {"state": state})
        self.assertEqual(state["pos"], [2.0, 4.0, 6.0])

    def test_builtins_outside_the_whitelist_are_missing(self):
        with self.assertRaises(guard.ScriptFailed) as err:
            guard.run("print('x')", {})
        self.assertIn("NameError", str(err.exception))

    def test_runaway_loop_is_stopped(self):
        with self.assertRaises(guard.ScriptFailed) as err:
            guard.run("while True:\n    pass\n", {})
        self.assertIn("steps", str(err.exception))


    def test_the_three_costly_samples_are_refused_before_running(self):
        for code in COSTLY_SAMPLES + ("x = 'a' * 10 ** 9", "x = 1 << 10 ** 8", "x = 10 ** 10 ** 10", "s = f'{1:>999999999}'"):
            with self.subTest(code=code):
                t0 = time.perf_counter()
                with self.assertRaises(guard.ScriptTooCostly):
                    guard.run(code, {})
                self.assertLess(time.perf_counter() - t0, 0.5)

    def test_the_same_costs_computed_at_run_time_are_stopped_at_once(self):
        for code in ("n = 20000000\nx = 3 ** n", "n = 30000000\nx = sorted(range(n))", "n = 300000000\nx = [0] * n",
                     "x = [0] * 1000\nfor i in range(40):\n    x += x", "x = 7\nfor i in range(40):\n    x = x * x",
                     "n = 100000000\nx = 1 << n"):
            with self.subTest(code=code):
                t0 = time.perf_counter()
                with self.assertRaises(guard.ScriptStopped):
                    guard.run(code, {})
                self.assertLess(time.perf_counter() - t0, 1.0)

    def test_math_has_no_factorial_and_strings_have_no_percent_formatting(self):
        for code in ("x = math.factorial(100000)", "x = math.comb(10 ** 6, 5 * 10 ** 5)", "s = '%0999999999d' % 1"):
            with self.subTest(code=code), self.assertRaises(guard.ScriptFailed):
                guard.run(code, {})


@unittest.skipIf(isolate.interpreter() is None, "no Python binary of this version to run scripts in")
class IsolatedRunTests(unittest.TestCase):
    def test_a_script_runs_in_a_child_process_and_its_changes_come_back(self):
        current = {"objects": {"a": {"name": "A", "transform": {"position": [0, 0, 0], "rotation": [0, 0, 0, 1], "scale": [1, 1, 1]}}},
                   "materials": {}}
        muts = run_script(current, "o = objects['a']\no['position'] = [math.sqrt(16), 2 ** 3, 1 + 2]", ["a"], ["sim"])
        self.assertEqual([(m["op"], m["transform"]) for m in muts], [("set_transform", {"position": [4.0, 8.0, 3.0]})])

    def test_one_long_c_level_call_is_killed_at_the_deadline(self):
        # comparing two million-element lists is one C call per comparison: no line event, no step
        code = "x = [[0] * 1000000] * 1000000\ny = sorted(x)"
        t0 = time.perf_counter()
        run = isolate.IsolatedRun(code, {}, timeout=1.0)
        run.wait(10)
        with self.assertRaises(guard.ScriptStopped) as err:
            run.outcome()
        self.assertIn("longer than 1.0 s", str(err.exception))
        self.assertLess(time.perf_counter() - t0, 5.0)

    def test_a_memory_bomb_ends_as_out_of_memory(self):
        run = isolate.IsolatedRun("x = [0] * 1000000\ny = [x[0:] for i in range(1000)]", {}, memory=128 << 20)
        run.wait(10)
        with self.assertRaises(guard.ScriptStopped) as err:
            run.outcome()
        self.assertIn("memory", str(err.exception))

    def test_refusals_and_failures_keep_their_kind(self):
        for code, kind in (("import os", guard.ScriptRefused), ("x = 1 / 0", guard.ScriptFailed), ("while True:\n    pass", guard.ScriptStopped)):
            with self.subTest(code=code):
                run = isolate.IsolatedRun(code, {})
                run.wait(10)
                with self.assertRaises(kind):
                    run.outcome()


if __name__ == "__main__":
    unittest.main()
