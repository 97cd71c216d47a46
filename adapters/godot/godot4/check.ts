// Static checks of the generated Godot 4.x build: as much as can be said without a Godot 4 binary.
// No 3.x-only name or syntax is left, every file scans (strings closed, brackets balanced, indentation
// in tabs that only deepens after a ':'), `extends` and every class-like name is a Godot 4 class or a
// preloaded script, every res:// path exists, and the two halves of the shim declare the same names.
import { CLASS_RENAMES } from './rewrite.js';
import { scan } from './gdscript-lex.js';

/** 3.x-only names and syntax, looked for in code and strings (not comments), with what replaces them. */
export const FORBIDDEN: readonly (readonly [RegExp, string])[] = [
  [/\byield\s*\(/, 'yield( → await'],
  [/^[ \t]*tool[ \t]*$/m, 'tool → @tool'],
  [/^[ \t]*export\b/m, 'export → @export (a hinted export(…) needs a hand translation)'],
  [/^[ \t]*onready\b/m, 'onready → @onready'],
  [/\bsetget\b/, 'setget → a property with set / get'],
  [/^[ \t]*(remote|master|puppet|remotesync|mastersync|puppetsync)\b/m, 'RPC keywords → @rpc'],
  [/\.translation\b/, '.translation → .position'],
  [/\bWebSocketClient\b/, 'WebSocketClient → WebSocketPeer (net/ws.gd)'],
  [/\bPool\w*Array\b/, 'PoolXArray → PackedXArray'],
  [/\bTYPE_(REAL|RAW_ARRAY|INT_ARRAY|REAL_ARRAY|STRING_ARRAY|VECTOR[23]_ARRAY|COLOR_ARRAY)\b/, 'TYPE_REAL… → TYPE_FLOAT, TYPE_PACKED_…'],
  [/\bOS\.get_(ticks_usec|ticks_msec|unix_time|datetime|system_time_secs)\b/, 'OS time → Time'],
  [/\bOS\.get_cmdline_args\b/, 'user arguments → Compat.user_args (Godot 4 keeps them apart)'],
  [/\b(File|Directory)\.(new|READ|WRITE)\b/, 'File / Directory → FileAccess / DirAccess (Compat.read_text, read_from)'],
  [/\bJSON\.(parse|print)\s*\(/, 'JSON.parse / print → Compat.json_parse (JSON.new().parse, JSON.stringify)'],
  [/\.connect\(\s*[^,()]+,\s*[\w.]+\s*,/, 'connect(signal, target, "method") → Compat.connect_signal'],
  [/(?<!\bCompat)\.sort_custom\(\s*[\w.]+\s*,/, 'sort_custom(target, "method") → Compat.sort_custom'],
  [/\)\.join\(/, 'PoolStringArray(…).join(sep) → Compat.join'],
  [
    /\.(empty|to_utf8|can_instance|instance|get_rotation_quat|get_surface_material|set_surface_material|ord_at|get_len)\(/,
    'renamed method (rewrite.ts RULES)',
  ],
  [/\brand_range\(/, 'rand_range → randf_range'],
  [/\bfunc\s+_idle\(/, 'SceneTree _idle → _process'],
  [/\bidle_frame\b/, 'idle_frame → process_frame'],
  [/\.autowrap\s*=/, 'Label.autowrap → autowrap_mode (Compat.wrap_label)'],
  [/\bfuncref\(/, 'funcref → Callable'],
  [new RegExp(`\\b(${Object.keys(CLASS_RENAMES).join('|')})\\b`), '3.x class name (rewrite.ts CLASS_RENAMES)'],
];

/** Names that are keywords in Godot 4 only: a 3.x script using one as a name no longer parses. */
export const KEYWORDS_4 = /\b(when|super|namespace|trait)\b/g;

/** Class-like names (CamelCase) the 4.x build may use: each is a Godot 4 class or singleton. */
export const GODOT4_NAMES: ReadonlySet<string> = new Set([
  ...['Object', 'RefCounted', 'Node', 'Node3D', 'SceneTree', 'EditorPlugin', 'VBoxContainer', 'LineEdit', 'Label', 'Button'],
  ...[
    'MeshInstance3D',
    'Light3D',
    'OmniLight3D',
    'SpotLight3D',
    'DirectionalLight3D',
    'Camera3D',
    'Mesh',
    'ArrayMesh',
    'BoxMesh',
    'StandardMaterial3D',
    'WebSocketPeer',
  ],
  // what core/not_synced.gd marks (scene/node_facts.gd) and the runner builds to test it
  ...['Skeleton3D', 'BoneAttachment3D', 'Path3D', 'Curve3D', 'CSGShape3D', 'CSGBox3D', 'MultiMeshInstance3D', 'MultiMesh', 'GridMap'],
  ...['GPUParticles3D', 'CPUParticles3D', 'Sprite3D', 'AnimatedSprite3D', 'VisualInstance3D', 'Skin', 'PackedColorArray'],
  ...['Basis', 'Quaternion', 'Transform3D', 'Vector3', 'Color', 'Callable', 'Array', 'Dictionary', 'String'],
  ...['PackedByteArray', 'PackedStringArray', 'PackedFloat32Array', 'JSON', 'FileAccess', 'TextServer', 'Time', 'OS', 'Engine'],
  ...[
    'PackedInt32Array',
    'PackedVector2Array',
    'PackedVector3Array',
    'Vector2',
    'StreamPeerBuffer',
    'HashingContext',
    'Image',
    'ImageTexture',
    'MeshDataTool',
    'PrimitiveMesh',
    'RenderingServer',
  ],
]);

export interface Problem {
  file: string;
  line: number;
  message: string;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Every problem found in the build (path → text); an empty list when it passes. */
export function checkBuild(files: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  const cfg = files.get('addons/vibesync/plugin.cfg');
  if (cfg === undefined) problems.push({ file: 'addons/vibesync/plugin.cfg', line: 0, message: 'missing' });
  else {
    const script = /^script="([^"]+)"$/m.exec(cfg)?.[1];
    if (script === undefined || !files.has(`addons/vibesync/${script}`))
      problems.push({ file: 'addons/vibesync/plugin.cfg', line: 0, message: `script ${script} not in the build` });
  }
  if (!/^config_version=5$/m.test(files.get('project.godot') ?? ''))
    problems.push({ file: 'project.godot', line: 0, message: 'not a Godot 4 project (config_version=5)' });
  const compat = declared(files.get('addons/vibesync/compat.gd') ?? '');
  for (const [file, text] of files) {
    if (file.endsWith('.gd')) problems.push(...checkScript(file, text, files, compat).map((p) => ({ file, ...p })));
  }
  return problems;
}

/** Names a script declares at its top level: static / plain functions and constants. */
export function declared(text: string): Set<string> {
  return new Set([...text.matchAll(/^(?:static\s+)?(?:func|const)\s+(\w+)/gm)].map((m) => m[1]!));
}

function checkScript(file: string, text: string, files: ReadonlyMap<string, string>, compat: Set<string>): Omit<Problem, 'file'>[] {
  const out: Omit<Problem, 'file'>[] = [];
  const { noComments, code, error } = scan(text);
  if (error) out.push({ line: 0, message: error });
  for (const [pattern, hint] of FORBIDDEN) {
    const m = new RegExp(pattern.source, pattern.flags.includes('m') ? 'gm' : 'g').exec(noComments);
    if (m) out.push({ line: lineOf(noComments, m.index), message: `3.x-only "${m[0].trim()}": ${hint}` });
  }
  for (const m of code.matchAll(KEYWORDS_4)) out.push({ line: lineOf(code, m.index), message: `"${m[1]}" is a keyword in Godot 4` });
  out.push(...checkStructure(code));
  const consts = new Set([...code.matchAll(/^const\s+(\w+)\s*=\s*preload\(/gm)].map((m) => m[1]!));
  for (const m of code.matchAll(/(?<![.\w])([A-Z]\w*[a-z]\w*)\b/g)) {
    if (!GODOT4_NAMES.has(m[1]!) && !consts.has(m[1]!))
      out.push({ line: lineOf(code, m.index), message: `${m[1]} is not a Godot 4 class nor a preloaded script` });
  }
  const ext = /^extends\s+(\S+)/m.exec(code);
  if (ext && !GODOT4_NAMES.has(ext[1]!)) out.push({ line: lineOf(code, ext.index), message: `extends ${ext[1]}: not a Godot 4 class` });
  const firstCode = code.split('\n').findIndex((l) => l.trim() !== '');
  const tool = code.search(/^@tool\b/m);
  if (tool >= 0 && lineOf(code, tool) !== firstCode + 1) out.push({ line: lineOf(code, tool), message: '@tool must come first' });
  for (const m of noComments.matchAll(/\b(?:pre)?load\("res:\/\/([^"]+)"\)/g)) {
    if (!files.has(m[1]!)) out.push({ line: lineOf(noComments, m.index), message: `res://${m[1]} is not in the build` });
  }
  if (/^const Compat = preload\("res:\/\/addons\/vibesync\/compat\.gd"\)/m.test(noComments) || file === 'addons/vibesync/compat.gd') {
    for (const m of code.matchAll(/\bCompat\.(\w+)/g)) {
      if (!compat.has(m[1]!)) out.push({ line: lineOf(code, m.index), message: `Compat.${m[1]} is not declared by the 4.x compat.gd` });
    }
  }
  return out;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Brackets balance; indentation is tabs, deepens by one only after a line ending in ':'. */
export function checkStructure(code: string): Omit<Problem, 'file'>[] {
  const out: Omit<Problem, 'file'>[] = [];
  const stack: { ch: string; line: number }[] = [];
  let prev = { indent: 0, opens: false };
  code.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const continuation = stack.length > 0 || (index > 0 && /\\\s*$/.test(code.split('\n')[index - 1]!));
    if (raw.trim() !== '' && !continuation) {
      const lead = /^[ \t]*/.exec(raw)![0];
      if (/ /.test(lead)) out.push({ line, message: 'indentation with spaces (the add-on indents with tabs)' });
      const indent = lead.length;
      if (indent > prev.indent && (!prev.opens || indent !== prev.indent + 1))
        out.push({ line, message: 'indentation deepens without a block' });
      if (prev.opens && indent <= prev.indent) out.push({ line: line - 1, message: 'a block with no body' });
    }
    for (const ch of raw) {
      if (ch in OPEN) stack.push({ ch, line });
      else if (ch === ')' || ch === ']' || ch === '}') {
        const top = stack.pop();
        if (top === undefined || OPEN[top.ch] !== ch) out.push({ line, message: `unbalanced ${ch}` });
      }
    }
    if (raw.trim() !== '' && stack.length === 0 && !continuation) {
      prev = { indent: /^\t*/.exec(raw)![0].length, opens: /:\s*$/.test(raw) };
    } else if (raw.trim() !== '' && stack.length === 0) {
      prev = { indent: prev.indent, opens: /:\s*$/.test(raw) };
    }
  });
  for (const open of stack) out.push({ line: open.line, message: `unclosed ${open.ch}` });
  return out;
}
