# The adapter's own wall in front of approved AI scripts (the orchestrator checks too): a syntax-tree
# check that refuses imports, dunder/private attribute access and the escape hatches of Python,
# then execution with a whitelist of builtins, no bpy, and a step budget against runaway loops.
import ast
import math
import sys

DENIED_NAMES = {
    "exec", "eval", "compile", "open", "getattr", "setattr", "delattr", "hasattr", "__import__", "globals",
    "locals", "vars", "dir", "input", "breakpoint", "help", "memoryview", "type", "object", "super",
    "classmethod", "staticmethod", "property", "bytearray", "exit", "quit", "__builtins__", "bpy", "os",
    "sys", "subprocess", "importlib", "builtins", "socket", "shutil", "ctypes", "pickle", "marshal",
}
DENIED_NODES = (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.AsyncFunctionDef, ast.Await,
                ast.Yield, ast.YieldFrom, ast.ClassDef, ast.With, ast.AsyncWith, ast.Try)
SAFE_BUILTINS = {
    "abs": abs, "all": all, "any": any, "bool": bool, "dict": dict, "enumerate": enumerate, "filter": filter,
    "float": float, "int": int, "isinstance": isinstance, "len": len, "list": list, "map": map, "max": max,
    "min": min, "range": range, "reversed": reversed, "round": round, "sorted": sorted, "str": str,
    "sum": sum, "tuple": tuple, "zip": zip, "True": True, "False": False, "None": None,
}
# frames, code objects and tracebacks lead back to the interpreter (gen.gi_frame.f_back.f_globals);
# str.format reaches attributes from inside a string
DENIED_ATTR_PREFIXES = ("_", "gi_", "cr_", "ag_", "f_", "tb_", "co_")
DENIED_ATTRS = {"format", "format_map", "mro"}
MAX_STEPS = 2_000_000


class ScriptRefused(Exception):
    """The code failed the syntax-tree check (SECURITY_BLOCKED): it never ran."""


class ScriptFailed(Exception):
    """The code passed the check but raised or ran out of steps while running."""


def check(code):
    """Raises ScriptRefused naming the first forbidden construct; returns the parsed tree."""
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as e:
        raise ScriptRefused("syntax error: %s (line %s)" % (e.msg, e.lineno))
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, DENIED_NODES):
            raise ScriptRefused("%s is not allowed (line %s)" % (type(node).__name__, line))
        if isinstance(node, ast.Attribute) and (node.attr.startswith(DENIED_ATTR_PREFIXES) or node.attr in DENIED_ATTRS):
            raise ScriptRefused("access to attribute %r is not allowed (line %s)" % (node.attr, line))
        if isinstance(node, ast.Name) and (node.id in DENIED_NAMES or node.id.startswith("__")):
            raise ScriptRefused("name %r is not allowed (line %s)" % (node.id, line))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "__" in node.value:
            raise ScriptRefused("strings containing '__' are not allowed (line %s)" % line)
        if isinstance(node, (ast.FunctionDef, ast.Lambda, ast.arg)):
            name = getattr(node, "name", None) or getattr(node, "arg", None)
            if name and name.startswith("__"):
                raise ScriptRefused("name %r is not allowed (line %s)" % (name, line))
    return tree


def run(code, namespace):
    """Checks, then runs `code` with only SAFE_BUILTINS, `math` and `namespace` in scope."""
    tree = check(code)
    compiled = compile(tree, "<vibesync-script>", "exec")
    env = dict(namespace, math=math, __builtins__=dict(SAFE_BUILTINS))
    steps = [0]

    def tracer(frame, event, arg):
        if frame.f_code.co_filename == "<vibesync-script>":
            steps[0] += 1
            if steps[0] > MAX_STEPS:
                raise ScriptFailed("script exceeded %d steps" % MAX_STEPS)
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        exec(compiled, env)  # noqa: S102 - the tree passed check() and builtins are whitelisted
    except ScriptFailed:
        raise
    except Exception as e:  # the script's own error, reported back, never propagated raw
        raise ScriptFailed("%s: %s" % (type(e).__name__, e))
    finally:
        sys.settrace(previous)
    return env
