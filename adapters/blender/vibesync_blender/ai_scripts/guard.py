# The adapter's own wall in front of approved AI scripts (the orchestrator checks too): a syntax-tree
# check that refuses imports, dunder/private attribute access and the escape hatches of Python, and
# refuses constant expressions too costly to run (3 ** 20000000, range(30000000), [0] * 300000000);
# then execution with a whitelist of builtins, a bounded `range` and `math`, operators that refuse
# to build huge numbers or sequences, no bpy, and a step and time budget. A single C-level call can
# still run long, so the adapter runs scripts in a child process it can kill (isolate.py).
# Standard library only, no relative imports: the child process imports this file on its own.
import ast
import copy
import math
import re
import sys
import time

DENIED_NAMES = {
    "exec", "eval", "compile", "open", "getattr", "setattr", "delattr", "hasattr", "__import__", "globals",
    "locals", "vars", "dir", "input", "breakpoint", "help", "memoryview", "type", "object", "super",
    "classmethod", "staticmethod", "property", "bytearray", "exit", "quit", "__builtins__", "bpy", "os",
    "sys", "subprocess", "importlib", "builtins", "socket", "shutil", "ctypes", "pickle", "marshal",
}
DENIED_NODES = (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.AsyncFunctionDef, ast.Await,
                ast.Yield, ast.YieldFrom, ast.ClassDef, ast.With, ast.AsyncWith, ast.Try)
# frames, code objects and tracebacks lead back to the interpreter (gen.gi_frame.f_back.f_globals);
# str.format reaches attributes from inside a string; the padding methods build strings of any size
DENIED_ATTR_PREFIXES = ("_", "gi_", "cr_", "ag_", "f_", "tb_", "co_")
DENIED_ATTRS = {"format", "format_map", "mro", "center", "ljust", "rjust", "zfill", "expandtabs"}

MAX_STEPS = 2_000_000      # traced line events
MAX_SECONDS = 2.0          # wall clock, checked on every line event
MAX_INT_BITS = 1 << 16     # about 19,700 decimal digits
MAX_ITEMS = 1_000_000      # elements of a sequence, characters of a string, length of a range
MAX_EXPONENT = 10_000      # a constant exponent above this is refused before running
MAX_FORMAT_WIDTH = 1_000

MATH_NAMES = ("pi", "e", "tau", "inf", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh",
              "cosh", "tanh", "degrees", "radians", "hypot", "floor", "ceil", "trunc", "fabs", "copysign",
              "fmod", "exp", "log", "log10", "log2", "pow", "isclose", "isfinite", "isinf", "isnan", "dist")


class ScriptRefused(Exception):
    """The code failed the syntax-tree check (SECURITY_BLOCKED): it never ran."""


class ScriptTooCostly(ScriptRefused):
    """A constant expression in the code exceeds a resource limit (RESOURCE_LIMIT): it never ran."""


class ScriptFailed(Exception):
    """The code passed the check but raised while running."""


class ScriptStopped(ScriptFailed):
    """The code was stopped at a resource limit (steps, time, memory, size of a value): RESOURCE_LIMIT."""


# ---- static check ----
MAX_DEPTH = 200            # nesting of the syntax tree; the bounding transform and compile() recurse


class _Costly:
    """The value of a constant subexpression that is itself too costly to compute: raised when
    _check_limits reaches its node, so a security refusal earlier in the walk still comes first."""

    def __init__(self, error):
        self.error = error


def _constants(tree):
    """One bottom-up pass over the tree: {node: int} for integer constant expressions (a _Costly
    for one refused while computing it) and the tree's depth. No recursion, each node once: a long
    chain 1 + 1 + ... costs its length, not its length squared."""
    order = list(ast.walk(tree))  # breadth first: every parent before its children
    values, depth = {}, {}
    for node in reversed(order):
        children = list(ast.iter_child_nodes(node))
        depth[node] = 1 + max((depth[c] for c in children), default=0)
        v = _fold(node, values)
        if v is not None:
            values[node] = v
    return values, depth[tree]


def _fold(node, values):
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = values.get(node.operand)
        if v is None or isinstance(v, _Costly):
            return None
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.LShift, ast.Mult, ast.Add, ast.Sub, ast.FloorDiv)):
        a, b = values.get(node.left), values.get(node.right)
        if a is None or b is None or isinstance(a, _Costly) or isinstance(b, _Costly):
            return None
        try:
            v = _checked(type(node.op), a, b, ScriptTooCostly)
        except ScriptTooCostly as e:
            return _Costly(e)
        except (ZeroDivisionError, ValueError, OverflowError):
            return None
        return v if _is_int(v) else None
    return None


def _const_int(values, node):
    """The value of an integer constant expression, or None."""
    v = values.get(node)
    return None if isinstance(v, _Costly) else v


def _seq_len(node):
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return len(node.elts)
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return len(node.value)
    return None


def _check_limits(node, line, values):
    if isinstance(node, ast.BinOp):
        right = _const_int(values, node.right)
        if isinstance(node.op, ast.Pow) and right is not None and abs(right) > MAX_EXPONENT:
            raise ScriptTooCostly("exponent %d exceeds %d (line %s)" % (right, MAX_EXPONENT, line))
        if isinstance(node.op, ast.LShift) and right is not None and right > MAX_INT_BITS:
            raise ScriptTooCostly("shift by %d bits exceeds %d (line %s)" % (right, MAX_INT_BITS, line))
        if isinstance(node.op, ast.Mult):
            for seq, count in ((node.left, node.right), (node.right, node.left)):
                n, k = _seq_len(seq), _const_int(values, count)
                if n is not None and k is not None and n * k > MAX_ITEMS:
                    raise ScriptTooCostly("a sequence of %d items exceeds %d (line %s)" % (n * k, MAX_ITEMS, line))
        if isinstance(values.get(node), _Costly):  # 10 ** 10 ** 10 and the like
            raise ScriptTooCostly("%s (line %s)" % (values[node].error, line))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        args = [_const_int(values, a) for a in node.args]
        if node.args and None not in args:
            try:
                n = len(range(*args))
            except (TypeError, ValueError, OverflowError):
                n = MAX_ITEMS + 1
            if n > MAX_ITEMS:
                raise ScriptTooCostly("range of %s items exceeds %d (line %s)" % (n, MAX_ITEMS, line))
    if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        spec = node.format_spec
        if not all(isinstance(v, ast.Constant) for v in spec.values):
            raise ScriptRefused("computed format specifications are not allowed (line %s)" % line)
        widths = [int(d) for v in spec.values for d in re.findall(r"\d+", str(v.value))]
        if widths and max(widths) > MAX_FORMAT_WIDTH:
            raise ScriptTooCostly("format width %d exceeds %d (line %s)" % (max(widths), MAX_FORMAT_WIDTH, line))


def check(code):
    """Raises ScriptRefused naming the first forbidden construct; returns the parsed tree."""
    try:
        return _check(code)
    except (RecursionError, MemoryError) as e:  # a tree nested deeper than the parser or a pass can follow
        raise ScriptTooCostly("the code is nested too deeply") from e


def _check(code):
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as e:
        raise ScriptRefused("syntax error: %s (line %s)" % (e.msg, e.lineno)) from e
    values, depth = _constants(tree)
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
        _check_limits(node, line, values)
    if depth > MAX_DEPTH:
        raise ScriptTooCostly("the code is nested %d levels deep, more than %d" % (depth, MAX_DEPTH))
    return tree


# ---- bounded operations (runtime: the operands are values, not constants) ----
def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def _checked(op, a, b, error=ScriptStopped):
    """a <op> b for the operators that can build huge values, refusing results over the limits."""
    if op is ast.Pow:
        if _is_int(a) and _is_int(b) and b > 0 and abs(a) > 1 and a.bit_length() * b > MAX_INT_BITS:
            raise error("%d ** %d would exceed %d bits" % (a, b, MAX_INT_BITS))
        return a ** b
    if op is ast.LShift:
        if _is_int(a) and _is_int(b) and a and a.bit_length() + b > MAX_INT_BITS:
            raise error("a shift by %d bits would exceed %d bits" % (b, MAX_INT_BITS))
        return a << b
    if op is ast.Mult:
        if _is_int(a) and _is_int(b):
            if a.bit_length() + b.bit_length() > MAX_INT_BITS:
                raise error("a product would exceed %d bits" % MAX_INT_BITS)
        else:
            for seq, n in ((a, b), (b, a)):
                if isinstance(seq, (str, bytes, list, tuple)) and _is_int(n) and len(seq) * n > MAX_ITEMS:
                    raise error("a sequence of %d items would exceed %d" % (len(seq) * n, MAX_ITEMS))
        return a * b
    if op is ast.Add:
        if isinstance(a, (str, bytes, list, tuple)) and isinstance(b, (str, bytes, list, tuple)) and len(a) + len(b) > MAX_ITEMS:
            raise error("a sequence of %d items would exceed %d" % (len(a) + len(b), MAX_ITEMS))
        return a + b
    if op is ast.Mod:
        if isinstance(a, (str, bytes)):
            raise ScriptFailed("string formatting with % is not available")
        return a % b
    if op is ast.FloorDiv:
        return a // b
    if op is ast.Sub:
        return a - b
    raise ScriptFailed("unsupported operator")


BOUNDED_OPS = {ast.Pow: "vs_pow", ast.LShift: "vs_lshift", ast.Mult: "vs_mul", ast.Add: "vs_add", ast.Mod: "vs_mod"}


def _bounded_helpers():
    # each helper's `op` is the outer lambda's own parameter, bound per helper: B023 misreads it as the loop's
    return {name: (lambda op: lambda a, b: _checked(op, a, b))(op) for op, name in BOUNDED_OPS.items()}  # noqa: B023


class _Bound(ast.NodeTransformer):
    """a ** b, a << b, a * b, a + b and a % b (also augmented) become calls of the checked helpers.
    The helpers' names are unreachable from script code: check() refuses names starting with '__'."""

    def _call(self, op, left, right, at):
        name = "__" + BOUNDED_OPS[type(op)]
        return ast.copy_location(ast.Call(func=ast.Name(name, ast.Load()), args=[left, right], keywords=[]), at)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        return self._call(node.op, node.left, node.right, node) if type(node.op) in BOUNDED_OPS else node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if type(node.op) not in BOUNDED_OPS:
            return node
        load = copy.deepcopy(node.target)
        load.ctx = ast.Load()
        return ast.copy_location(ast.Assign(targets=[node.target], value=self._call(node.op, load, node.value, node)), node)


def bounded_range(*args):
    r = range(*args)
    if len(r) > MAX_ITEMS:
        raise ScriptStopped("range of %d items exceeds %d" % (len(r), MAX_ITEMS))
    return r


class _Math:
    """The float functions of `math`; factorial, comb, perm, prod and friends can run for minutes."""

    def __init__(self):
        for name in MATH_NAMES:
            setattr(self, name, getattr(math, name))


SAFE_BUILTINS = {
    "abs": abs, "all": all, "any": any, "bool": bool, "dict": dict, "enumerate": enumerate, "filter": filter,
    "float": float, "int": int, "isinstance": isinstance, "len": len, "list": list, "map": map, "max": max,
    "min": min, "range": bounded_range, "reversed": reversed, "round": round, "sorted": sorted, "str": str,
    "sum": sum, "tuple": tuple, "zip": zip, "True": True, "False": False, "None": None,
}


def run(code, namespace, max_seconds=MAX_SECONDS):
    """Checks, then runs `code` with only SAFE_BUILTINS, `math` and `namespace` in scope."""
    tree = check(code)
    try:
        compiled = compile(ast.fix_missing_locations(_Bound().visit(tree)), "<vibesync-script>", "exec")
    except (RecursionError, MemoryError) as e:  # check() bounds the depth; this is the backstop
        raise ScriptTooCostly("the code is nested too deeply") from e
    env = dict(namespace, math=_Math(), __builtins__=dict(SAFE_BUILTINS))
    env.update({"__" + k: v for k, v in _bounded_helpers().items()})
    steps = [0]
    deadline = time.perf_counter() + max_seconds

    def tracer(frame, event, arg):
        if frame.f_code.co_filename == "<vibesync-script>":
            steps[0] += 1
            if steps[0] > MAX_STEPS:
                raise ScriptStopped("script exceeded %d steps" % MAX_STEPS)
            if time.perf_counter() > deadline:
                raise ScriptStopped("script ran longer than %.1f s" % max_seconds)
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        exec(compiled, env)  # noqa: S102 - the tree passed check() and builtins are whitelisted
    except ScriptFailed:
        raise
    except MemoryError as e:
        raise ScriptStopped("script ran out of memory") from e
    except RecursionError as e:
        raise ScriptStopped("script recursed too deeply") from e
    except Exception as e:  # the script's own error, reported back, never propagated raw
        raise ScriptFailed("%s: %s" % (type(e).__name__, e)) from e
    finally:
        sys.settrace(previous)
    return env
