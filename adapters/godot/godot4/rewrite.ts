// Godot 3.x GDScript → Godot 4.x: the renames and syntax half of the 3.x/4.x shim. Calls whose shape
// differs between the two (JSON, signal connections, sort callbacks, Array.slice, files, time, label
// wrapping, command-line arguments, the WebSocket) go through compat.gd and net/ws.gd instead, whose
// 4.x twins live in overlay/. Pure: text in, text out. What it cannot translate faithfully it leaves,
// and FORBIDDEN (check.ts) then refuses the build, so nothing 3.x-only slips through unnoticed.

/** Godot 3 class and type names → Godot 4 (whole words, in code, strings and comments alike). */
export const CLASS_RENAMES: Readonly<Record<string, string>> = {
  Spatial: 'Node3D',
  SpatialMaterial: 'StandardMaterial3D',
  MeshInstance: 'MeshInstance3D',
  Light: 'Light3D',
  OmniLight: 'OmniLight3D',
  SpotLight: 'SpotLight3D',
  DirectionalLight: 'DirectionalLight3D',
  Camera: 'Camera3D',
  CubeMesh: 'BoxMesh',
  Skeleton: 'Skeleton3D',
  BoneAttachment: 'BoneAttachment3D',
  Path: 'Path3D',
  CSGShape: 'CSGShape3D',
  CSGBox: 'CSGBox3D',
  MultiMeshInstance: 'MultiMeshInstance3D',
  Particles: 'GPUParticles3D',
  CPUParticles: 'CPUParticles3D',
  VisualInstance: 'VisualInstance3D',
  Transform: 'Transform3D',
  Quat: 'Quaternion',
  Reference: 'RefCounted',
  PoolByteArray: 'PackedByteArray',
  PoolIntArray: 'PackedInt32Array',
  PoolRealArray: 'PackedFloat32Array',
  PoolStringArray: 'PackedStringArray',
  PoolVector2Array: 'PackedVector2Array',
  PoolVector3Array: 'PackedVector3Array',
  PoolColorArray: 'PackedColorArray',
  TYPE_REAL: 'TYPE_FLOAT',
  TYPE_RAW_ARRAY: 'TYPE_PACKED_BYTE_ARRAY',
  TYPE_INT_ARRAY: 'TYPE_PACKED_INT32_ARRAY',
  TYPE_REAL_ARRAY: 'TYPE_PACKED_FLOAT32_ARRAY',
  TYPE_STRING_ARRAY: 'TYPE_PACKED_STRING_ARRAY',
  TYPE_VECTOR3_ARRAY: 'TYPE_PACKED_VECTOR3_ARRAY',
};

/** Signals renamed in Godot 4 (used by yield → await). */
const SIGNAL_RENAMES: Readonly<Record<string, string>> = { idle_frame: 'process_frame' };

type Rule = readonly [pattern: RegExp, replacement: string | ((...groups: string[]) => string), why: string];

/** Same-shape member and function renames, and the syntax that changed. */
export const RULES: readonly Rule[] = [
  [/^tool[ \t]*$/gm, '@tool', 'tool → @tool'],
  [/^([ \t]*)onready[ \t]+var\b/gm, '$1@onready var', 'onready → @onready'],
  [/^([ \t]*)export[ \t]+var\b/gm, '$1@export var', 'export var → @export var (a hinted export(…) is refused)'],
  [
    /\byield\(\s*([^\n]+?)\s*,\s*"(\w+)"\s*\)/g,
    (_m, target: string, signal: string) =>
      signal === 'completed' ? `await ${target}` : `await ${target}.${SIGNAL_RENAMES[signal] ?? signal}`,
    'yield(obj, "signal") → await obj.signal; yield(f(), "completed") → await f()',
  ],
  [/\.translation\b/g, '.position', 'Spatial.translation → Node3D.position'],
  [/\.get_rotation_quat\(/g, '.get_rotation_quaternion(', 'Basis.get_rotation_quat → get_rotation_quaternion'],
  [/\.empty\(\)/g, '.is_empty()', 'Array / Dictionary / String .empty() → .is_empty()'],
  [/\.to_utf8\(\)/g, '.to_utf8_buffer()', 'String.to_utf8 → to_utf8_buffer'],
  [/\.can_instance\(\)/g, '.can_instantiate()', 'can_instance → can_instantiate'],
  [/\.instance\(\)/g, '.instantiate()', 'PackedScene.instance → instantiate'],
  [/\.get_surface_material\(/g, '.get_surface_override_material(', 'MeshInstance.get_surface_material → get_surface_override_material'],
  [/\.set_surface_material\(/g, '.set_surface_override_material(', 'MeshInstance.set_surface_material → set_surface_override_material'],
  [/\brand_range\(/g, 'randf_range(', 'rand_range → randf_range'],
  [/\bOS\.get_ticks_(usec|msec)\(/g, 'Time.get_ticks_$1(', 'OS.get_ticks_* → Time.get_ticks_*'],
  [/^func _idle\(/gm, 'func _process(', 'SceneTree (MainLoop) _idle → _process'],
];

const WORDS = new RegExp(`\\b(${Object.keys(CLASS_RENAMES).join('|')})\\b`, 'g');

/** One 3.x GDScript file's text → its 4.x text (unchanged when nothing applies). */
export function rewrite(text: string): string {
  let out = text.replace(WORDS, (w) => CLASS_RENAMES[w] ?? w);
  for (const [pattern, replacement] of RULES) {
    out =
      typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement as (...a: string[]) => string);
  }
  return out;
}
