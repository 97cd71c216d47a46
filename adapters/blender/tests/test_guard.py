# The adapter's script wall: refused constructs never run; allowed code runs with no bpy/imports.
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from vibesync_blender import guard  # noqa: E402

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


if __name__ == "__main__":
    unittest.main()
