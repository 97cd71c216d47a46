// The authoritative scene: objects and materials in Maps (never plain objects keyed by untrusted
// ids), a children index for hierarchy walks, and the engine each object came from. Mutations are
// planned purely (`planMutations` reads, never writes) and then committed with `commitPatch`.
import { VibeSyncError, type Material, type Mutation, type Scene, type SceneObject } from '../../../shared/protocol/index.js';
import type { TxState } from '../../../shared/canonical/index.js';

export interface ResourceLimits {
  /** vertices per mesh */
  maxVertices: number;
  /** texels along the longer side of one texture */
  maxTextureSize: number;
  maxObjects: number;
  /** bytes of one texture blob (the encoded image file); optional so the desktop settings need not name it */
  maxTextureBytes?: number;
}

export const DEFAULT_LIMITS: ResourceLimits = {
  maxVertices: 2_000_000,
  maxTextureSize: 8192,
  maxObjects: 200_000,
  maxTextureBytes: 64 * 1024 * 1024,
};

export interface SceneState {
  objects: Map<string, SceneObject>;
  materials: Map<string, Material>;
  /** parent id → child ids; roots under "" */
  children: Map<string, Set<string>>;
  /** object id → engine whose hierarchy it belongs to (the source that created or snapshotted it) */
  origin: Map<string, string>;
}

export type SubjectKind = 'object' | 'material';

/** One mutation's effect: the subject's state right after it (null = deleted). */
export interface Step {
  kind: SubjectKind;
  id: string;
  after: SceneObject | Material | null;
}

/** The planned outcome of a list of mutations: the final state of each touched subject, plus each step. */
export interface Patch {
  objects: Map<string, SceneObject | null>;
  materials: Map<string, Material | null>;
  steps: Step[];
}

export function emptyScene(): SceneState {
  return { objects: new Map(), materials: new Map(), children: new Map(), origin: new Map() };
}

export const isEmptyScene = (s: SceneState) => s.objects.size === 0 && s.materials.size === 0;

function link(s: SceneState, id: string, parent: string | null) {
  const key = parent ?? '';
  let set = s.children.get(key);
  if (!set) s.children.set(key, (set = new Set()));
  set.add(id);
}
function unlink(s: SceneState, id: string, parent: string | null) {
  const key = parent ?? '';
  const set = s.children.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) s.children.delete(key);
}

export function putObject(s: SceneState, o: SceneObject, origin?: string) {
  const prev = s.objects.get(o.id);
  s.objects.set(o.id, o);
  if (prev?.parent !== o.parent) {
    // Most writes move or rename an object in place; the children index changes only on a reparent.
    if (prev) unlink(s, o.id, prev.parent);
    link(s, o.id, o.parent);
  }
  if (origin !== undefined && !s.origin.has(o.id)) s.origin.set(o.id, origin);
}

export function removeObject(s: SceneState, id: string) {
  const prev = s.objects.get(id);
  if (!prev) return;
  unlink(s, id, prev.parent);
  s.objects.delete(id);
  s.origin.delete(id);
}

/** The scene as it goes on the wire (sorted by id, so equal scenes serialise equally). */
export function toScene(s: SceneState): Scene {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { objects: [...s.objects.values()].sort(byId), materials: [...s.materials.values()].sort(byId) };
}

export function fromScene(scene: Scene, origin: string): SceneState {
  const s = emptyScene();
  for (const m of scene.materials) s.materials.set(m.id, m);
  for (const o of scene.objects) putObject(s, o, origin);
  return s;
}

/** Every descendant of `id` (not including it), breadth first; each once, even if the index held a cycle. */
export function descendants(s: SceneState, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  const queue = [id];
  for (let head = 0; head < queue.length; head++) {
    for (const c of s.children.get(queue[head]!) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** `id` and its ancestors, nearest first; stops on a cycle. */
export function ancestry(s: SceneState, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let cur: string | null | undefined = id; cur && !seen.has(cur); cur = s.objects.get(cur)?.parent) {
    seen.add(cur);
    out.push(cur);
  }
  return out;
}

function checkMesh(o: SceneObject['mesh'], limits: ResourceLimits, id: string) {
  if (o && o.vertexCount > limits.maxVertices) {
    throw new VibeSyncError('RESOURCE_LIMIT', `object ${id}: ${o.vertexCount} vertices exceeds the limit of ${limits.maxVertices}`, { id });
  }
}
function checkMaterial(m: Material, limits: ResourceLimits) {
  for (const t of m.textures) {
    if (Math.max(t.width, t.height) > limits.maxTextureSize) {
      throw new VibeSyncError(
        'RESOURCE_LIMIT',
        `material ${m.id}: texture ${t.slot} is ${t.width}x${t.height}, limit ${limits.maxTextureSize}`,
        { id: m.id },
      );
    }
  }
}

/** Light data belongs to a `light`, camera data to a `camera` (the canonical form hashes whatever is there). */
function checkKindData(o: SceneObject, where: string) {
  const stray = o.light && o.type !== 'light' ? 'light' : o.camera && o.type !== 'camera' ? 'camera' : null;
  if (stray) throw new VibeSyncError('SCHEMA_VIOLATION', `${where}object "${o.id}" of type ${o.type} carries ${stray} data`, { id: o.id });
}

/** Sets (or, for null, removes) an optional field, so an object without it keeps its older canonical form. */
function setOptional<K extends 'light' | 'camera' | 'notSynced'>(o: SceneObject, key: K, value: SceneObject[K] | undefined) {
  if (value === undefined) return;
  if (value === null) delete o[key];
  else o[key] = value;
}

/**
 * The structural checks a mutation gets, for a whole snapshot: unique object and material ids, every
 * parent and every material an object names present in the same snapshot, and no parent cycle.
 * Throws SCHEMA_VIOLATION naming the first offender.
 */
export function checkSceneStructure(scene: Scene) {
  const objects = new Map<string, SceneObject>();
  for (const o of scene.objects) {
    if (objects.has(o.id)) throw new VibeSyncError('SCHEMA_VIOLATION', `snapshot: object id "${o.id}" appears twice`, { id: o.id });
    objects.set(o.id, o);
  }
  const materials = new Set<string>();
  for (const m of scene.materials) {
    if (materials.has(m.id)) throw new VibeSyncError('SCHEMA_VIOLATION', `snapshot: material id "${m.id}" appears twice`, { id: m.id });
    materials.add(m.id);
  }
  for (const o of scene.objects) {
    checkKindData(o, 'snapshot: ');
    if (o.parent !== null && !objects.has(o.parent))
      throw new VibeSyncError('SCHEMA_VIOLATION', `snapshot: object "${o.id}" has parent "${o.parent}", which is not in the snapshot`, {
        id: o.id,
      });
    for (const m of o.materials)
      if (!materials.has(m))
        throw new VibeSyncError('SCHEMA_VIOLATION', `snapshot: object "${o.id}" uses material "${m}", which is not in the snapshot`, {
          id: o.id,
        });
  }
  // Walk up from each object; an object already known to reach a root ends the walk (linear overall).
  const rooted = new Set<string>();
  for (const o of scene.objects) {
    const path = new Set<string>();
    for (let cur: string | null = o.id; cur !== null && !rooted.has(cur); cur = objects.get(cur)!.parent) {
      if (path.has(cur)) throw new VibeSyncError('SCHEMA_VIOLATION', `snapshot: parenting makes a cycle through "${cur}"`, { id: cur });
      path.add(cur);
    }
    for (const id of path) rooted.add(id);
  }
}

/** Checks a whole snapshot against the resource limits before it may become the scene. */
export function checkSceneLimits(scene: Scene, limits: ResourceLimits) {
  if (scene.objects.length > limits.maxObjects)
    throw new VibeSyncError('RESOURCE_LIMIT', `${scene.objects.length} objects exceeds ${limits.maxObjects}`);
  for (const o of scene.objects) checkMesh(o.mesh, limits, o.id);
  for (const m of scene.materials) checkMaterial(m, limits);
}

/**
 * Plans `mutations` against `scene` without changing it. Throws VibeSyncError
 * (UNKNOWN_OBJECT, RESOURCE_LIMIT, SCHEMA_VIOLATION) on the first mutation that cannot apply.
 */
export function planMutations(scene: SceneState, mutations: readonly Mutation[], limits: ResourceLimits = DEFAULT_LIMITS): Patch {
  const plan = new Planner(scene, limits);
  for (const m of mutations) plan.apply(m);
  return { objects: plan.objects, materials: plan.materials, steps: plan.steps };
}

/**
 * One planning pass: the subjects touched so far shadow the scene. A class rather than closures
 * inside planMutations, which runs for every accepted message live and for every record on
 * replay: closures were allocated per call and showed in the start-up profile.
 */
class Planner {
  readonly objects = new Map<string, SceneObject | null>();
  readonly materials = new Map<string, Material | null>();
  readonly steps: Step[] = [];
  private created = 0;

  constructor(
    private readonly scene: SceneState,
    private readonly limits: ResourceLimits,
  ) {}

  apply(m: Mutation) {
    switch (m.op) {
      case 'set_transform': {
        const o = this.needObj(m.objectId);
        this.setObj({ ...o, transform: { ...o.transform, ...m.transform } }, o.id);
        break;
      }
      case 'set_props': {
        const o = this.needObj(m.objectId);
        const next: SceneObject = { ...o };
        if (m.props.name !== undefined) next.name = m.props.name;
        if (m.props.parent !== undefined) {
          this.checkParent(o.id, m.props.parent);
          next.parent = m.props.parent;
        }
        if (m.props.materials !== undefined) {
          for (const id of m.props.materials) this.needMat(id);
          next.materials = [...m.props.materials];
        }
        if (m.props.mesh !== undefined) {
          checkMesh(m.props.mesh, this.limits, o.id);
          next.mesh = m.props.mesh;
        }
        setOptional(next, 'light', m.props.light);
        setOptional(next, 'camera', m.props.camera);
        setOptional(next, 'notSynced', m.props.notSynced);
        checkKindData(next, '');
        this.setObj(next, o.id);
        break;
      }
      case 'set_material': {
        const cur = this.needMat(m.materialId);
        const next: Material = { ...cur };
        if (m.changes.name !== undefined) next.name = m.changes.name;
        if (m.changes.baseColor !== undefined) next.baseColor = m.changes.baseColor;
        if (m.changes.metallic !== undefined) next.metallic = m.changes.metallic;
        if (m.changes.roughness !== undefined) next.roughness = m.changes.roughness;
        this.setMat(next, cur.id);
        break;
      }
      case 'create': {
        const o = m.object;
        if (this.obj(o.id)) throw new VibeSyncError('SCHEMA_VIOLATION', `object "${o.id}" already exists`, { id: o.id });
        if (this.scene.objects.size + ++this.created > this.limits.maxObjects)
          throw new VibeSyncError('RESOURCE_LIMIT', `more than ${this.limits.maxObjects} objects`);
        this.checkParent(o.id, o.parent);
        for (const id of o.materials) this.needMat(id);
        checkMesh(o.mesh, this.limits, o.id);
        checkKindData(o, '');
        this.setObj(o, o.id);
        break;
      }
      case 'delete': {
        this.needObj(m.objectId);
        if (this.hasLiveChildren(m.objectId))
          throw new VibeSyncError('SCHEMA_VIOLATION', `object "${m.objectId}" has children: delete or reparent them first`, {
            id: m.objectId,
          });
        this.setObj(null, m.objectId);
        break;
      }
      case 'upsert_material': {
        checkMaterial(m.material, this.limits);
        this.setMat(m.material, m.material.id);
        break;
      }
    }
  }

  private obj(id: string) {
    return this.objects.has(id) ? (this.objects.get(id) ?? undefined) : this.scene.objects.get(id);
  }
  private mat(id: string) {
    return this.materials.has(id) ? (this.materials.get(id) ?? undefined) : this.scene.materials.get(id);
  }

  private needObj(id: string) {
    const o = this.obj(id);
    if (!o) throw new VibeSyncError('UNKNOWN_OBJECT', `no object "${id}"`, { id });
    return o;
  }

  private needMat(id: string) {
    const m = this.mat(id);
    if (!m) throw new VibeSyncError('UNKNOWN_OBJECT', `no material "${id}"`, { id });
    return m;
  }

  private checkParent(id: string, parent: string | null) {
    if (parent === null) return;
    this.needObj(parent);
    for (let cur: string | null = parent, guard = 0; cur; cur = this.obj(cur)?.parent ?? null, guard++) {
      if (cur === id || guard > 10_000)
        throw new VibeSyncError('SCHEMA_VIOLATION', `parenting ${id} under ${parent} makes a cycle`, { id });
    }
  }

  private hasLiveChildren(id: string) {
    for (const c of this.scene.children.get(id) ?? []) if (this.obj(c)?.parent === id) return true;
    for (const o of this.objects.values()) if (o?.parent === id) return true;
    return false;
  }

  private setObj(o: SceneObject | null, id: string) {
    this.objects.set(id, o);
    this.steps.push({ kind: 'object', id, after: o });
  }
  private setMat(m: Material | null, id: string) {
    this.materials.set(id, m);
    this.steps.push({ kind: 'material', id, after: m });
  }
}

/** Writes a planned patch into the scene; new objects belong to `origin`'s hierarchy. */
export function commitPatch(scene: SceneState, patch: Patch, origin: string) {
  for (const [id, m] of patch.materials) {
    if (m) scene.materials.set(id, m);
    else scene.materials.delete(id);
  }
  // Deletions last, creations first, so a batch that reparents before deleting leaves the index right.
  for (const o of patch.objects.values()) if (o) putObject(scene, o, origin);
  for (const [id, o] of patch.objects) if (!o) removeObject(scene, id);
}

/** The hash input a target's post-import hash is compared with: the last state of every touched subject. */
export function txStateOf(steps: readonly Step[]): TxState {
  const objects: Record<string, SceneObject | null> = Object.create(null);
  const materials: Record<string, Material | null> = Object.create(null);
  for (const s of steps) {
    if (s.kind === 'object') objects[s.id] = s.after as SceneObject | null;
    else materials[s.id] = s.after as Material | null;
  }
  return { objects, materials };
}
