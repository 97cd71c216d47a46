// The scanner's policy tables: what an AI scene script may import and touch, and what is blocked.
// Kept apart from the tree walk so a reviewer can read the policy without reading the parser code.

/** Modules an AI scene script may import (and their submodules). Everything else is refused. */
export const ALLOWED_IMPORTS: ReadonlySet<string> = new Set([
  'bpy',
  'bmesh',
  'mathutils',
  'math',
  'cmath',
  'random',
  'colorsys',
  'itertools',
  'functools',
  'collections',
  'dataclasses',
  'typing',
  'enum',
  'statistics',
  'copy',
  'string',
  'fractions',
  'decimal',
]);

/** Modules that reach the OS, the network, code loading or serialisation: naming them is a breach. */
export const BLOCKED_MODULES: ReadonlySet<string> = new Set([
  'os',
  'sys',
  'subprocess',
  'socket',
  'shutil',
  'ctypes',
  'pickle',
  'marshal',
  'importlib',
  'builtins',
  'pty',
  'multiprocessing',
  'threading',
  'urllib',
  'http',
  'requests',
  'posix',
  'nt',
  'io',
  'pathlib',
  'tempfile',
  'glob',
  'signal',
  'asyncio',
  'runpy',
  'code',
  'codeop',
  'inspect',
  'gc',
  'fcntl',
  'resource',
  'ftplib',
  'smtplib',
  'telnetlib',
  'ssl',
  'select',
  'selectors',
  'webbrowser',
  'zipimport',
  'pkgutil',
  'operator',
  'base64',
  'codecs',
  'binascii',
  'zlib',
  'shelve',
  'dill',
  'cloudpickle',
  'concurrent',
  'sqlite3',
  'mmap',
  'site',
  'sysconfig',
  '_thread',
  'platform',
  'pydoc',
  'traceback',
]);

/** Builtins whose only use in a scene script would be to escape it: any reference blocks. */
export const BLOCKED_BUILTINS: ReadonlySet<string> = new Set([
  'exec',
  'eval',
  'compile',
  'open',
  'getattr',
  'setattr',
  'delattr',
  'globals',
  'locals',
  'vars',
  'breakpoint',
  '__import__',
  'exit',
  'quit',
  'help',
  'memoryview',
  'execfile',
  'reload',
  'license',
  'copyright',
  'credits',
]);

/** Builtins blocked only when they mean the builtin: a script may have its own variable of that name
 * (`input` for a node socket is common). Calling them, or naming them while unbound, blocks. */
export const SOFT_BUILTINS: ReadonlySet<string> = new Set(['input']);

/** Dunder names that lead from any object to the interpreter's internals. */
export const BLOCKED_DUNDERS: ReadonlySet<string> = new Set([
  '__builtins__',
  '__import__',
  '__globals__',
  '__subclasses__',
  '__class__',
  '__bases__',
  '__base__',
  '__mro__',
  '__code__',
  '__dict__',
  '__closure__',
  '__func__',
  '__self__',
  '__getattribute__',
  '__reduce__',
  '__reduce_ex__',
  '__loader__',
  '__spec__',
  '__build_class__',
  '__init_subclass__',
  '__subclasshook__',
  '__getattr__',
  '__setattr__',
  '__delattr__',
  '__kwdefaults__',
  '__defaults__',
  '__module__',
  '__qualname__',
  '__traceback__',
  '__file__',
  '__cached__',
  '__path__',
  '__wrapped__',
  '__objclass__',
  '__class_getitem__',
  '__set_name__',
  '__del__',
  '__format__',
  '__getstate__',
  '__setstate__',
]);

/** Harmless dunders a script may touch (class definitions, `if __name__ == ...`). */
export const ALLOWED_DUNDERS: ReadonlySet<string> = new Set([
  '__init__',
  '__name__',
  '__doc__',
  '__repr__',
  '__str__',
  '__len__',
  '__iter__',
  '__next__',
  '__eq__',
  '__hash__',
  '__lt__',
  '__le__',
  '__gt__',
  '__ge__',
  '__add__',
  '__sub__',
  '__mul__',
  '__truediv__',
  '__neg__',
  '__contains__',
  '__getitem__',
  '__setitem__',
  '__enter__',
  '__exit__',
  '__post_init__',
  '__main__',
  '__slots__',
  '__bool__',
]);

/** Attribute names that walk frames or run programs, whatever object they hang off. */
export const BLOCKED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'system',
  'popen',
  'spawn',
  'spawnl',
  'spawnv',
  'spawnve',
  'spawnlp',
  'execv',
  'execve',
  'execl',
  'execlp',
  'execvp',
  'fork',
  'forkpty',
  'rmtree',
  'chmod',
  'chown',
  'putenv',
  'getenv',
  'environ',
  'gi_frame',
  'gi_code',
  'cr_frame',
  'ag_frame',
  'f_back',
  'f_globals',
  'f_locals',
  'f_builtins',
  'f_code',
  'tb_frame',
  'tb_next',
  'co_code',
  'func_globals',
  'func_code',
  'mro',
  'as_module',
  'driver_namespace',
  'load_module',
  'import_module',
  'exec_module',
  'run_script',
  'python_file_run',
  'execfile',
  'draw_handler_add',
  'subscribe_rna',
  'save_render',
  'check_output',
  'check_call',
  'getoutput',
  'get_type_hints',
  'ForwardRef',
  'make_dataclass',
  'path_resolve',
  'temp_data',
  'load',
]);

/** Dotted bpy paths (after alias resolution) that load files, run code, or outlive the transaction. */
export const BLOCKED_BPY_PREFIXES: readonly string[] = [
  'bpy.ops.wm',
  'bpy.ops.script',
  'bpy.ops.text',
  'bpy.ops.preferences',
  'bpy.ops.file',
  'bpy.ops.image',
  'bpy.ops.sound',
  'bpy.ops.render',
  'bpy.ops.console',
  'bpy.ops.extensions',
  'bpy.ops.buttons',
  'bpy.ops.export_',
  'bpy.ops.import_',
  'bpy.ops.sequencer',
  'bpy.app.handlers',
  'bpy.app.timers',
  'bpy.app.driver_namespace',
  'bpy.app.translations',
  'bpy.utils',
  'bpy.context.preferences',
  'bpy.context.window_manager',
  'bpy.msgbus',
  'bpy.data.texts',
  'bpy.data.libraries',
  'bpy.types.Text',
  'bpy.props',
  'bpy.data.window_managers',
  'bpy.data.workspaces',
  'bpy.data.screens',
  'bpy.context.copy',
  'bpy.context.user_preferences',
];

/** `bpy.data.<collection>.load(...)` reads a file from disk (images, fonts, sounds, libraries). */
export const BLOCKED_BPY_PATTERNS: readonly RegExp[] = [/^bpy\.data\.\w+\.load$/];

/** Module names that are also everyday English or Blender words (`vert.select`, `'Exit'`): these are
 * judged only as imports and bare names, never as attribute names or inside folded strings. */
export const AMBIGUOUS_MODULE_WORDS: ReadonlySet<string> = new Set([
  'code',
  'site',
  'select',
  'selectors',
  'signal',
  'resource',
  'platform',
  'help',
  'exit',
  'quit',
  'io',
  'nt',
  'gc',
  'glob',
  'traceback',
  'operator',
  'input',
  'concurrent',
  'inspect',
  'mmap',
  'remove',
  'kill',
]);

/** bpy.utils members that are plain helpers (unit formatting), not script loading. */
export const ALLOWED_BPY_PATHS: readonly string[] = ['bpy.utils.units'];

/** bpy.ops categories a scene edit may use; any other operator category is flagged for a reviewer. */
export const ALLOWED_BPY_OPS: ReadonlySet<string> = new Set([
  'object',
  'mesh',
  'transform',
  'material',
  'anim',
  'curve',
  'armature',
  'pose',
  'uv',
  'node',
  'scene',
  'view3d',
  'graph',
  'action',
  'constraint',
  'particle',
  'surface',
  'gpencil',
  'collection',
  'texture',
  'world',
  'camera',
  'light',
  'nla',
  'paint',
  'sculpt',
  'marker',
  'rigidbody',
  'cloth',
  'outliner',
]);

/** Decoders that turn an opaque literal into code: decoding a payload in a scene script is a breach. */
export const DECODER_CALLS: ReadonlySet<string> = new Set([
  'b64decode',
  'b32decode',
  'b16decode',
  'b85decode',
  'a85decode',
  'urlsafe_b64decode',
  'decodebytes',
  'unhexlify',
  'a2b_base64',
  'a2b_hex',
  'fromhex',
]);

/** Every name a string built at run time must not spell: the folder checks its result against these. */
export function isSensitiveName(name: string): boolean {
  return (
    BLOCKED_MODULES.has(name) ||
    BLOCKED_BUILTINS.has(name) ||
    BLOCKED_DUNDERS.has(name) ||
    BLOCKED_ATTRIBUTES.has(name) ||
    (/^__\w+__$/.test(name) && !ALLOWED_DUNDERS.has(name))
  );
}

export function isAllowedImport(dotted: string): boolean {
  const root = dotted.split('.')[0] ?? '';
  return ALLOWED_IMPORTS.has(root);
}

const bpyVerdicts = new Map<string, string | null>();

/** The blocked prefix a resolved bpy path falls under, or null. Verdicts are cached: paths repeat a lot. */
export function blockedBpyPath(dotted: string): string | null {
  if (!dotted.startsWith('bpy')) return null;
  const cached = bpyVerdicts.get(dotted);
  if (cached !== undefined) return cached;
  let verdict: string | null = null;
  if (!ALLOWED_BPY_PATHS.some((p) => dotted === p || dotted.startsWith(`${p}.`))) {
    verdict =
      BLOCKED_BPY_PREFIXES.find((p) => (p.endsWith('_') ? dotted.startsWith(p) : dotted === p || dotted.startsWith(`${p}.`))) ??
      (BLOCKED_BPY_PATTERNS.some((re) => re.test(dotted)) ? dotted : null);
  }
  if (bpyVerdicts.size > 10_000) bpyVerdicts.clear();
  bpyVerdicts.set(dotted, verdict);
  return verdict;
}
