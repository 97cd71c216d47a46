// The Python half of the script sandbox, run once in each fresh interpreter by sandbox-worker.mjs:
// the data API a script sees, the second wall (the policy again, on CPython's own tree), the limits
// that count inside the interpreter (steps, output, changes, recursion) and the seal of the JS bridge.
// A module of its own so the host stays short; esbuild inlines it into dist/electron/sandbox-worker.mjs.
export const PRELUDE = String.raw`
import ast, json, math, random, colorsys, sys, types, builtins, re

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
_TYPES = ("mesh", "empty", "light", "camera", "other")


MONITOR = sys.monitoring
STEPS_TOOL = next(i for i in range(5, -1, -1) if MONITOR.get_tool(i) is None)
MONITOR.use_tool_id(STEPS_TOOL, "vibesync-script-steps")


class LimitHit(BaseException):
    """Not an Exception: "except Exception" in a script does not swallow it."""


class ScriptError(Exception):
    pass


def _num(v, what):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ScriptError(f"{what} must be a number, not {type(v).__name__}")
    f = float(v)
    if not math.isfinite(f):
        raise ScriptError(f"{what} must be finite")
    return f


def _vec(v, n, what):
    try:
        items = [x for x in v]
    except TypeError:
        raise ScriptError(f"{what} must be a sequence of {n} numbers") from None
    if len(items) != n:
        raise ScriptError(f"{what} must have {n} numbers, not {len(items)}")
    return [_num(x, what) for x in items]


def _text(v):
    """A plain str copy of a str (subclass): a script's str subclass could answer == / hash / < with its
    own code, inside these checks, as a dict key, or while the result is sorted after tracing stopped."""
    return str.__str__(v) if isinstance(v, str) else v


def _name(v):
    v = _text(v)
    if not isinstance(v, str) or len(v) > 256:
        raise ScriptError("a name is a string of at most 256 characters")
    return v


def _id(v, what="an id"):
    v = _text(v)
    if not isinstance(v, str) or not _ID.match(v) or v in ("__proto__", "constructor", "prototype"):
        raise ScriptError(f"{what} uses A-Z a-z 0-9 _ . : - only (1-128 characters), got {v!r}")
    return v


class Run:
    def __init__(self, scene, cfg):
        self.objects = {o["id"]: o for o in scene["objects"]}
        self.materials = {m["id"]: m for m in scene["materials"]}
        self.dirty_objects = set()
        self.dirty_materials = set()
        self.cfg = cfg
        self.steps = 0
        self.out = []
        self.out_bytes = 0
        self.hit = None

    def limit(self, code, message):
        self.hit = self.hit or (code, message)
        raise LimitHit(message)

    def touch(self, kind, ident):
        dirty = self.dirty_objects if kind == "object" else self.dirty_materials
        dirty.add(ident)
        if len(self.dirty_objects) + len(self.dirty_materials) > self.cfg["changes"]:
            self.limit("CHANGE_LIMIT", f"the script changed more than {self.cfg['changes']} objects and materials")


def make_api(run):
    """The script's world: scene.objects / scene.materials and their fields. Nothing else."""

    def obj_view(ident):
        class SceneObjectView:
            __slots__ = ()

            def __repr__(self):
                return f"<object {ident}>"

            def _get(self):
                o = run.objects.get(ident)
                if o is None:
                    raise ScriptError(f"object {ident!r} was deleted")
                return o

            def _set(self, fn):
                o = self._get()
                fn(o)
                run.touch("object", ident)

            id = property(lambda self: ident)
            type = property(lambda self: self._get()["type"])
            name = property(lambda self: self._get()["name"], lambda self, v: self._set(lambda o: o.__setitem__("name", _name(v))))
            parent = property(lambda self: self._get()["parent"], lambda self, v: self._set(lambda o: o.__setitem__("parent", None if v is None else _id(_ident(v), "parent"))))
            position = property(lambda self: tuple(self._get()["transform"]["position"]), lambda self, v: self._set(lambda o: o["transform"].__setitem__("position", _vec(v, 3, "position"))))
            rotation = property(lambda self: tuple(self._get()["transform"]["rotation"]), lambda self, v: self._set(lambda o: o["transform"].__setitem__("rotation", _vec(v, 4, "rotation"))))
            scale = property(lambda self: tuple(self._get()["transform"]["scale"]), lambda self, v: self._set(lambda o: o["transform"].__setitem__("scale", _vec(v, 3, "scale"))))
            materials = property(lambda self: list(self._get()["materials"]), lambda self, v: self._set(lambda o: o.__setitem__("materials", [_id(_ident(m), "a material id") for m in v][:64])))
            children = property(lambda self: [i for i, o in run.objects.items() if o["parent"] == ident])
            vertex_count = property(lambda self: (self._get()["mesh"] or {}).get("vertexCount", 0))
            face_count = property(lambda self: (self._get()["mesh"] or {}).get("faceCount", 0))

        return SceneObjectView()

    def mat_view(ident):
        class MaterialView:
            __slots__ = ()

            def __repr__(self):
                return f"<material {ident}>"

            def _get(self):
                m = run.materials.get(ident)
                if m is None:
                    raise ScriptError(f"material {ident!r} was deleted")
                return m

            def _set(self, key, value):
                self._get()[key] = value
                run.touch("material", ident)

            id = property(lambda self: ident)
            name = property(lambda self: self._get()["name"], lambda self, v: self._set("name", _name(v)))
            base_color = property(lambda self: tuple(self._get()["baseColor"]), lambda self, v: self._set("baseColor", _vec(v, 4, "base_color")))
            metallic = property(lambda self: self._get()["metallic"], lambda self, v: self._set("metallic", _num(v, "metallic")))
            roughness = property(lambda self: self._get()["roughness"], lambda self, v: self._set("roughness", _num(v, "roughness")))

        return MaterialView()

    def _ident(v):
        return _text(v.id if hasattr(v, "id") and not isinstance(v, str) else v)

    def table(store, view, what):
        class SceneTable:
            __slots__ = ()

            def __repr__(self):
                return f"<{len(store)} {what}s>"

            def __len__(self):
                return len(store)

            def __iter__(self):
                return iter([view(i) for i in list(store)])

            def __contains__(self, ident):
                return _ident(ident) in store

            def __getitem__(self, ident):
                ident = _text(ident)
                if not isinstance(ident, str) or ident not in store:
                    raise KeyError(f"no {what} with id {ident!r}")
                return view(ident)

            def get(self, ident, default=None):
                ident = _text(ident)
                return view(ident) if isinstance(ident, str) and ident in store else default

            def keys(self):
                return list(store)

            def values(self):
                return [view(i) for i in list(store)]

            def items(self):
                return [(i, view(i)) for i in list(store)]

        return SceneTable()

    class Scene:
        __slots__ = ()
        objects = table(run.objects, obj_view, "object")
        materials = table(run.materials, mat_view, "material")

        def create_object(self, id, name=None, type="empty", parent=None, position=(0, 0, 0), rotation=(0, 0, 0, 1), scale=(1, 1, 1), materials=()):
            ident = _id(id)
            if ident in run.objects:
                raise ScriptError(f"object {ident!r} already exists")
            if type not in _TYPES or type == "mesh":
                raise ScriptError("create_object makes an 'empty', 'light', 'camera' or 'other' (a mesh's geometry is not script data)")
            run.objects[ident] = {
                "id": ident,
                "name": _name(ident if name is None else name),
                "type": type,
                "parent": None if parent is None else _id(_ident(parent), "parent"),
                "transform": {"position": _vec(position, 3, "position"), "rotation": _vec(rotation, 4, "rotation"), "scale": _vec(scale, 3, "scale")},
                "mesh": None,
                "materials": [_id(_ident(m), "a material id") for m in materials][:64],
            }
            run.touch("object", ident)
            return obj_view(ident)

        def delete_object(self, id):
            ident = _ident(id)
            if not isinstance(ident, str) or ident not in run.objects:
                raise ScriptError(f"no object with id {ident!r}")
            del run.objects[ident]
            run.touch("object", ident)

        def create_material(self, id, name=None, base_color=(0.8, 0.8, 0.8, 1), metallic=0, roughness=0.5):
            ident = _id(id)
            if ident in run.materials:
                raise ScriptError(f"material {ident!r} already exists")
            run.materials[ident] = {
                "id": ident,
                "name": _name(ident if name is None else name),
                "baseColor": _vec(base_color, 4, "base_color"),
                "metallic": _num(metallic, "metallic"),
                "roughness": _num(roughness, "roughness"),
                "textures": [],
            }
            run.touch("material", ident)
            return mat_view(ident)

    return Scene()


def _fresh(v):
    """A per-run copy of a module's Python function: a script may set attributes on a function
    (colorsys.hsv_to_rgb.note = …), which on the shared one the next run would read."""
    if isinstance(v, types.FunctionType):
        return types.FunctionType(v.__code__, v.__globals__, v.__name__, v.__defaults__, v.__closure__)
    return v


def namespace(names, source):
    return types.SimpleNamespace(**{n: _fresh(getattr(source, n)) for n in names if hasattr(source, n)})


def check_tree(tree, cfg):
    """The policy again, on CPython's own tree of the code that runs (policy.ts checks lezer's): where
    the two parsers read a script differently (f"\\{…}" in lezer 1.1), this wall still sees the code.
    Returns (line, message) of the first thing outside the language, or None."""
    allowed = set(cfg["attributes"])
    reserved = re.compile(cfg["reserved"])
    dunders = set(cfg["dunders"])
    modules = cfg["modules"]
    defined = set()
    nodes = list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            defined.add(node.attr)
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                targets = []
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    targets = [stmt.name]
                elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                    for t in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                        targets += [n.id for n in ast.walk(t) if isinstance(n, ast.Name)]
                for name in targets:
                    if (name not in dunders) if name.startswith("__") else reserved.search(name):
                        return stmt.lineno, f'a class in a script may not define "{name}"'
                    defined.add(name)
    for node in nodes:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute):
            a = node.attr
            if a.startswith("_") or reserved.search(a) or (a not in allowed and a not in defined):
                return line, f'attribute "{a}" is not part of the script language'
        elif isinstance(node, ast.Name) and node.id.startswith("__") and not (isinstance(node.ctx, ast.Store) and node.id in dunders):
            return line, f'"{node.id}" is not part of the script language'
        elif isinstance(node, (ast.MatchClass, ast.Await, ast.AsyncFunctionDef, ast.AsyncFor, ast.AsyncWith)):
            return line, "class patterns and async code are not part of the script language"
        elif isinstance(node, ast.ExceptHandler) and node.type is None:
            return line, "a bare except would swallow the sandbox's limits"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name not in modules:
                    return line, f'module "{alias.name}" is not importable'
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module not in modules:
                return line, f'module "{node.module}" is not importable'
            for alias in node.names:
                if alias.name not in modules[node.module]:
                    return line, f'"{alias.name}" is not importable from {node.module}'
    return None


def run_script(code, scene_json, cfg_json):
    cfg = json.loads(cfg_json)
    run = Run(json.loads(scene_json), cfg)
    rng = random.Random(cfg["seed"])
    sources = {"math": math, "random": rng, "colorsys": colorsys}
    modules = {name: namespace(names, sources[name]) for name, names in cfg["modules"].items()}

    def script_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level != 0 or name not in modules:
            raise ImportError(f"import of {name!r} is not allowed: scripts may import only {', '.join(sorted(modules))}")
        return modules[name]

    def script_print(*args, sep=" ", end="\n"):
        text = str(sep).join(str(a) for a in args) + str(end)
        run.out_bytes += len(text.encode("utf-8", "replace"))
        if run.out_bytes > cfg["outputBytes"]:
            run.limit("OUTPUT_LIMIT", f"the script printed more than {cfg['outputBytes']} bytes")
        run.out.append(text)

    safe = {n: getattr(builtins, n) for n in cfg["builtins"] if hasattr(builtins, n)}
    safe.update(__build_class__=builtins.__build_class__, __import__=script_import, print=script_print)
    glb = {"__builtins__": safe, "__name__": "script", "scene": make_api(run)}

    def step(code, *_):
        """Counts the script's lines and jumps (sys.monitoring). Once over the limit every further line
        raises again: a callback that raises stays registered, where sys.settrace dropped a tracer that
        raised, so a "finally" that swallowed the limit ran on untraced until the time limit."""
        if code.co_filename != "<script>":
            return MONITOR.DISABLE
        run.steps += 1
        if run.steps > cfg["steps"]:
            run.limit("STEP_LIMIT", f"the script ran more than {cfg['steps']} steps")

    def limited(on):
        if on:
            sys.setrecursionlimit(cfg["recursion"])
            MONITOR.register_callback(STEPS_TOOL, MONITOR.events.LINE, step)
            MONITOR.register_callback(STEPS_TOOL, MONITOR.events.JUMP, step)
            MONITOR.set_events(STEPS_TOOL, MONITOR.events.LINE | MONITOR.events.JUMP)
        else:
            MONITOR.set_events(STEPS_TOOL, 0)
            MONITOR.register_callback(STEPS_TOOL, MONITOR.events.LINE, None)
            MONITOR.register_callback(STEPS_TOOL, MONITOR.events.JUMP, None)
            sys.setrecursionlimit(depth)

    def traced(fn, fallback):
        """Script code the sandbox itself calls after the run (an exception's __str__) runs under the limits."""
        limited(True)
        try:
            return fn()
        except BaseException:
            return fallback
        finally:
            limited(False)

    error = None
    depth = sys.getrecursionlimit()
    try:
        tree = ast.parse(code, "<script>")
        # "unchecked" only for the tests of the inner layers, which post code straight to the sandbox process
        refused = None if cfg.get("unchecked") is True else check_tree(tree, cfg)
        if refused:
            return json.dumps({"ok": False, "code": "POLICY_REFUSED", "message": f"line {refused[0]}: {refused[1]}", "output": "", "steps": 0})
        compiled = compile(tree, "<script>", "exec", dont_inherit=True)
        limited(True)
        try:
            exec(compiled, glb)
        finally:
            limited(False)
    except LimitHit:
        pass
    except MemoryError:
        run.hit = run.hit or ("MEMORY_LIMIT", "the script ran out of its memory")
    except RecursionError:
        error = "RecursionError: the script recursed too deeply"
    except SyntaxError as e:
        error = f"SyntaxError: {e.msg} (line {e.lineno})"
    except BaseException as e:
        line = None
        tb = e.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<script>":
                line = tb.tb_lineno
            tb = tb.tb_next
        text = traced(lambda: str(e), "")
        error = f"{type(e).__name__}: {text if isinstance(text, str) else ''}" + (f" (line {line})" if line else "")
    out = "".join(run.out)
    if run.hit:
        return json.dumps({"ok": False, "code": run.hit[0], "message": run.hit[1], "output": out, "steps": run.steps})
    if error:
        return json.dumps({"ok": False, "code": "SCRIPT_ERROR", "message": error[:2000], "output": out, "steps": run.steps})
    return json.dumps(
        {
            "ok": True,
            "objects": {i: run.objects.get(i) for i in sorted(run.dirty_objects)},
            "materials": {i: run.materials.get(i) for i in sorted(run.dirty_materials)},
            "output": out,
            "steps": run.steps,
        },
        allow_nan=False,
    )


def seal():
    """Third layer: after start-up nothing in this interpreter can import the JS bridge again, even
    code that got past both walls to the real import machinery (the script's own import hook already
    refuses it)."""
    sealed = ("js", "pyodide_js", "pyodide", "micropip", "_pyodide", "_pyodide_core")

    class Sealed:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in sealed:
                raise ImportError(f"{name} is sealed in the script sandbox")
            return None

    hook = sys.modules.get("_pyodide._importhook")
    finder = getattr(hook, "jsfinder", None)
    if finder is not None:
        finder.jsproxies.clear()  # it held globalThis ("js") and the pyodide JS module
    for name in list(sys.modules):
        if name.split(".")[0] in sealed:
            del sys.modules[name]
    sys.meta_path[:] = [Sealed()] + [f for f in sys.meta_path if type(f).__name__ != "JsFinder"]
`;
