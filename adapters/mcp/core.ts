// The MCP server's pure core: tool input schemas, scene summaries in metres and degrees, the
// conversion of an agent's edits into protocol mutations, result budgets and the "what a human must
// do next" lines. No SDK, no socket: server.ts binds this to @modelcontextprotocol/sdk and link.ts.
import { z } from 'zod';
import {
  EngineName,
  LIMITS,
  Material,
  Mutation,
  ObjectId,
  SceneObject,
  type Material as MaterialT,
  type SceneObject as SceneObjectT,
} from '../../shared/protocol/index.js';

/** MCP clients cut off results over ~25k tokens; at ≈ 4 characters a token this keeps well under. */
export const MAX_RESULT_CHARS = 60_000;
export const TERMINAL = ['rejected', 'applied', 'blocked', 'failed'] as const;

const Vec3In = z.tuple([z.number(), z.number(), z.number()]);
const Pid = z
  .string()
  .min(1)
  .max(48)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'pids use A-Z a-z 0-9 _ . : - only');
const Targets = z.array(EngineName).min(1).max(LIMITS.maxTargets).describe('engine names that must receive it (see list_engines)');
const Rationale = z.string().min(1).max(2000).describe('why: the reviewer reads this first');

export const Edit = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('transform'),
    id: ObjectId,
    position_m: Vec3In.optional().describe('metres, +Y up, right-handed'),
    rotation_deg: Vec3In.optional().describe('Euler XYZ in degrees'),
    scale: Vec3In.optional(),
  }),
  z.strictObject({
    op: z.literal('props'),
    id: ObjectId,
    name: z.string().max(LIMITS.maxNameLength).optional(),
    parent: ObjectId.nullable().optional(),
    materials: z.array(ObjectId).max(LIMITS.maxMaterialsPerObject).optional(),
  }),
  z.strictObject({
    op: z.literal('material'),
    id: ObjectId,
    name: z.string().max(LIMITS.maxNameLength).optional(),
    base_color: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional().describe('RGBA 0..1'),
    metallic: z.number().min(0).max(1).optional(),
    roughness: z.number().min(0).max(1).optional(),
  }),
  z.strictObject({ op: z.literal('create'), object: SceneObject }),
  z.strictObject({ op: z.literal('delete'), id: ObjectId }),
  z.strictObject({ op: z.literal('upsert_material'), material: Material }),
]);
export type Edit = z.infer<typeof Edit>;

/** The tools' input shapes (zod raw shapes, as the SDK takes them). */
export const INPUTS = {
  list_engines: {},
  get_scene: {
    cursor: z.string().max(256).optional().describe('nextCursor from the previous page'),
    limit: z.number().int().min(1).max(500).optional().describe('subjects per page (default 200)'),
  },
  get_object: { id: ObjectId },
  find_objects: {
    name_pattern: z.string().max(256).optional().describe('case-insensitive substring, or /regex/'),
    type: z.enum(['mesh', 'empty', 'light', 'camera', 'other']).optional(),
    under: ObjectId.optional().describe('only this object and its descendants'),
    state: z.enum(['CLEAN', 'PENDING', 'DIRTY', 'LOCKED']).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  },
  propose_changes: {
    rationale: Rationale,
    targets: Targets,
    changes: z.array(Edit).min(1).max(50),
    pid: Pid.optional().describe(
      'your id for this proposal (re-sending the same content is safe); one per change gets -1, -2… when several',
    ),
  },
  propose_script: {
    rationale: Rationale,
    code: z
      .string()
      .min(1)
      .max(LIMITS.maxScriptBytes)
      .describe('Python over the scene data API (docs/scripts.md), run once in the orchestrator sandbox'),
    targets: Targets,
    touches: z
      .array(ObjectId)
      .max(10_000)
      .describe('every object and material id the script may change or create (anything else is refused: FORBIDDEN_PATH)'),
    pid: Pid.optional(),
  },
  check_script: { code: z.string().min(1).max(LIMITS.maxScriptBytes).describe('Python, as you would propose it') },
  get_proposal: { pid: Pid },
  wait_for_decision: { pid: Pid, timeout_s: z.number().int().min(1).max(600).optional().describe('default 60') },
} as const;

// ---------- rotations ----------
const DEG = 180 / Math.PI;
const round = (n: number) => Math.round(n * 1e6) / 1e6 + 0; // + 0: no -0

/** Euler XYZ (degrees) → unit quaternion [x, y, z, w]. */
export function eulerDegToQuat([ex, ey, ez]: [number, number, number]): [number, number, number, number] {
  const [c1, c2, c3] = [Math.cos(ex / DEG / 2), Math.cos(ey / DEG / 2), Math.cos(ez / DEG / 2)];
  const [s1, s2, s3] = [Math.sin(ex / DEG / 2), Math.sin(ey / DEG / 2), Math.sin(ez / DEG / 2)];
  return [s1 * c2 * c3 + c1 * s2 * s3, c1 * s2 * c3 - s1 * c2 * s3, c1 * c2 * s3 + s1 * s2 * c3, c1 * c2 * c3 - s1 * s2 * s3];
}

/** Unit quaternion [x, y, z, w] → Euler XYZ in degrees. */
export function quatToEulerDeg([x, y, z, w]: readonly number[]): [number, number, number] {
  const m11 = 1 - 2 * (y! * y! + z! * z!);
  const m12 = 2 * (x! * y! - w! * z!);
  const m13 = 2 * (x! * z! + w! * y!);
  const m22 = 1 - 2 * (x! * x! + z! * z!);
  const m23 = 2 * (y! * z! - w! * x!);
  const m32 = 2 * (y! * z! + w! * x!);
  const m33 = 1 - 2 * (x! * x! + y! * y!);
  const ry = Math.asin(Math.max(-1, Math.min(1, m13)));
  if (Math.abs(m13) < 0.9999999) return [round(Math.atan2(-m23, m33) * DEG), round(ry * DEG), round(Math.atan2(-m12, m11) * DEG)];
  return [round(Math.atan2(m32, m22) * DEG), round(ry * DEG), 0];
}

// ---------- summaries ----------
export interface ObjectSummary {
  id: string;
  name: string;
  type: string;
  parent: string | null;
  state: string;
  position_m: number[];
  rotation_deg: number[];
  scale: number[];
  materials: string[];
  mesh: { vertices: number; faces: number } | null;
}

export function summarizeObject(o: SceneObjectT, state: string): ObjectSummary {
  return {
    id: o.id,
    name: o.name,
    type: o.type,
    parent: o.parent,
    state,
    position_m: o.transform.position.map(round),
    rotation_deg: quatToEulerDeg(o.transform.rotation),
    scale: o.transform.scale.map(round),
    materials: o.materials,
    mesh: o.mesh ? { vertices: o.mesh.vertexCount, faces: o.mesh.faceCount } : null,
  };
}

export function summarizeMaterial(m: MaterialT, state: string) {
  return { id: m.id, name: m.name, state, base_color: m.baseColor.map(round), metallic: m.metallic, roughness: m.roughness };
}

// ---------- edits → mutations ----------
let midCounter = 0;
const mid = () => `mcp-${Date.now().toString(36)}-${(++midCounter).toString(36)}`;

/** One protocol mutation per edit, validated by the protocol's own schema (a bad one throws, nothing is sent). */
export function editToMutation(e: Edit, targets: string[]): Mutation {
  const base = { mid: mid(), targets };
  let m: unknown;
  switch (e.op) {
    case 'transform': {
      const transform: Record<string, unknown> = {};
      if (e.position_m) transform.position = e.position_m;
      if (e.rotation_deg) transform.rotation = eulerDegToQuat(e.rotation_deg);
      if (e.scale) transform.scale = e.scale;
      if (!Object.keys(transform).length)
        throw new Error(`transform edit of ${e.id} changes nothing: give position_m, rotation_deg or scale`);
      m = { ...base, op: 'set_transform', objectId: e.id, transform };
      break;
    }
    case 'props': {
      const props: Record<string, unknown> = {};
      if (e.name !== undefined) props.name = e.name;
      if (e.parent !== undefined) props.parent = e.parent;
      if (e.materials !== undefined) props.materials = e.materials;
      if (!Object.keys(props).length) throw new Error(`props edit of ${e.id} changes nothing: give name, parent or materials`);
      m = { ...base, op: 'set_props', objectId: e.id, props };
      break;
    }
    case 'material': {
      const changes: Record<string, unknown> = {};
      if (e.name !== undefined) changes.name = e.name;
      if (e.base_color !== undefined) changes.baseColor = e.base_color;
      if (e.metallic !== undefined) changes.metallic = e.metallic;
      if (e.roughness !== undefined) changes.roughness = e.roughness;
      if (!Object.keys(changes).length) throw new Error(`material edit of ${e.id} changes nothing`);
      m = { ...base, op: 'set_material', materialId: e.id, changes };
      break;
    }
    case 'create':
      m = { ...base, op: 'create', object: e.object };
      break;
    case 'delete':
      m = { ...base, op: 'delete', objectId: e.id };
      break;
    case 'upsert_material':
      m = { ...base, op: 'upsert_material', material: e.material };
      break;
  }
  const parsed = Mutation.safeParse(m);
  if (!parsed.success) throw new Error(`edit ${JSON.stringify(e).slice(0, 200)} is not valid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

// ---------- what a human must do next ----------
export function nextStep(status: string | undefined, pid: string): string {
  switch (status) {
    case 'pending':
      return `A human reviewer must approve or reject ${pid} in the VibeSync Review queue. Call wait_for_decision("${pid}") to learn the decision; nothing has changed in any engine yet.`;
    case 'approved':
      return `Approved; VibeSync is applying ${pid} on its targets. Call wait_for_decision("${pid}") to learn when it is applied. No human action is needed.`;
    case 'applied':
      return `Applied on every target. No human action is needed; re-read the scene (get_object / get_scene) to see the result.`;
    case 'rejected':
      return `Rejected by a human reviewer (the reason is above). Do not re-send it unchanged: address the reason and propose again with a new pid.`;
    case 'blocked':
      return `Blocked by the script scanner (the script never ran): this agent is now in PANIC and quarantined, and its token is revoked, so this server cannot reach VibeSync any more. A lead must review the breach and reset this agent's token (Overrides → Token reset); the new token goes into this server's VIBESYNC_TOKEN. Engines keep syncing meanwhile.`;
    case 'failed':
      return `Failed while being applied (the reason is above); the scene was left as it was. A human may need to look at the engines; you may propose a corrected change with a new pid.`;
    default:
      return `This server has not seen ${pid} since it started. Propose it (propose_changes / propose_script): re-sending the same pid and content is safe and returns its status.`;
  }
}

/** Keeps the leading items whose JSON fits in `budget` characters; returns how many were kept. */
export function fitCount(items: unknown[], budget: number): number {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    used += JSON.stringify(items[i]).length + 1;
    if (used > budget) return Math.max(1, i);
  }
  return items.length;
}

/** A `find_objects` name test: /regex/ or a case-insensitive substring. Throws on a bad regex. */
export function nameMatcher(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const m = /^\/(.+)\/([imsu]*)$/.exec(pattern);
  if (m) {
    const re = new RegExp(m[1]!, m[2]!.includes('i') ? m[2] : `${m[2]}i`);
    return (name) => re.test(name);
  }
  const needle = pattern.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}
