// The script language as data: the one allow-list both walls read. The static check (policy.ts)
// refuses any name, attribute or import outside it; the sandbox (sandbox-worker.mjs) builds the
// script's builtins and importable modules from the same lists. A name missing here fails by
// default in both walls: that is the point of an allow-list (docs/scripts.md, docs/security.md).

/** Builtins a script may call. No getattr/setattr/type/object/open/eval/exec/compile/vars/globals. */
export const BUILTINS: readonly string[] = [
  'abs', 'all', 'any', 'bool', 'chr', 'dict', 'divmod', 'enumerate', 'filter', 'float', 'frozenset', 'int',
  'isinstance', 'len', 'list', 'map', 'max', 'min', 'ord', 'pow', 'print', 'range', 'repr', 'reversed', 'round',
  'set', 'slice', 'sorted', 'str', 'sum', 'tuple', 'zip',
  'Exception', 'ArithmeticError', 'AssertionError', 'IndexError', 'KeyError', 'LookupError', 'RuntimeError',
  'TypeError', 'ValueError', 'ZeroDivisionError',
]; // prettier-ignore

/** Importable modules and the names each exposes (a fresh namespace per run; `random` is seeded per run). */
export const MODULES: Readonly<Record<string, readonly string[]>> = {
  math: [
    'pi', 'tau', 'e', 'inf', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'cbrt', 'ceil', 'comb',
    'copysign', 'cos', 'cosh', 'degrees', 'dist', 'exp', 'exp2', 'fabs', 'factorial', 'floor', 'fmod', 'fsum',
    'gcd', 'hypot', 'isclose', 'isfinite', 'isinf', 'isnan', 'lcm', 'log', 'log10', 'log2', 'modf', 'perm', 'pow',
    'prod', 'radians', 'remainder', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'trunc',
  ],
  random: [
    'random', 'uniform', 'randint', 'randrange', 'choice', 'choices', 'shuffle', 'sample', 'gauss', 'seed',
    'triangular', 'normalvariate', 'expovariate',
  ],
  colorsys: ['rgb_to_hsv', 'hsv_to_rgb', 'rgb_to_hls', 'hls_to_rgb', 'rgb_to_yiq', 'yiq_to_rgb'],
}; // prettier-ignore

/** Global names the sandbox gives every script. */
export const API_GLOBALS: readonly string[] = ['scene'];

/** Attributes of the scene API (docs/scripts.md). */
export const API_ATTRIBUTES: readonly string[] = [
  'objects', 'materials', 'create_object', 'delete_object', 'create_material',
  'get', 'keys', 'values', 'items',
  'id', 'name', 'type', 'parent', 'children', 'position', 'rotation', 'scale', 'vertex_count', 'face_count',
  'base_color', 'metallic', 'roughness',
]; // prettier-ignore

/** Methods and fields of the builtin values a script handles (str, list, dict, set, numbers, exceptions). */
export const VALUE_ATTRIBUTES: readonly string[] = [
  // str (not format / format_map: their field syntax reads attributes by name)
  'capitalize', 'casefold', 'center', 'count', 'endswith', 'find', 'isalnum', 'isalpha', 'isdigit', 'islower',
  'isspace', 'isupper', 'join', 'ljust', 'lower', 'lstrip', 'partition', 'removeprefix', 'removesuffix', 'replace',
  'rfind', 'rjust', 'rpartition', 'rsplit', 'rstrip', 'split', 'splitlines', 'startswith', 'strip', 'title',
  'upper', 'zfill',
  // list, dict, set
  'append', 'clear', 'copy', 'extend', 'index', 'insert', 'pop', 'remove', 'reverse', 'sort', 'popitem',
  'setdefault', 'update', 'add', 'discard', 'difference', 'intersection', 'isdisjoint', 'issubset', 'issuperset',
  'symmetric_difference', 'union',
  // numbers, exceptions
  'real', 'imag', 'conjugate', 'is_integer', 'bit_length', 'args',
]; // prettier-ignore

/**
 * Attribute names a script's own classes may not define: Python's reflective surface (frames, code,
 * generators, tracebacks, format fields). Defining them would make `x.gi_frame` look like the script's
 * own attribute to the static check. Everything else a class defines is the script's own.
 */
export const RESERVED_ATTRIBUTE = /^(_|(gi|f|co|tb|cr|ag|im|func)_)|^(format|format_map|mro)$/;

/** Special methods a script's class may define (operators, comparisons, containers, text): never __del__, __getattr__, __init_subclass__… */
export const DUNDER_METHODS: ReadonlySet<string> = new Set(
  ['init', 'repr', 'str', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'hash', 'bool', 'len', 'iter', 'next', 'contains',
    'getitem', 'setitem', 'add', 'radd', 'sub', 'rsub', 'mul', 'rmul', 'truediv', 'rtruediv', 'floordiv', 'rfloordiv',
    'mod', 'rmod', 'pow', 'rpow', 'neg', 'pos', 'abs', 'matmul', 'rmatmul', 'iadd', 'isub', 'imul', 'itruediv',
    'float', 'int', 'round'].map((n) => `__${n}__`),
); // prettier-ignore

export const ALLOWED_ATTRIBUTES: ReadonlySet<string> = new Set([...API_ATTRIBUTES, ...VALUE_ATTRIBUTES, ...Object.values(MODULES).flat()]);

/** Hard limits of one run (sandbox.ts enforces; docs/scripts.md lists them). */
export const SCRIPT_LIMITS = {
  timeMs: 2_000,
  memoryMb: 256,
  steps: 2_000_000,
  outputBytes: 64 * 1024,
  changes: 5_000,
  recursion: 200,
} as const;
export type ScriptLimits = { -readonly [K in keyof typeof SCRIPT_LIMITS]: number };
