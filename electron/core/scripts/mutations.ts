// A sandbox run's result as ordinary protocol mutations: what a script changed becomes the same
// create / set_transform / set_props / upsert_material / set_material / delete messages a source
// engine sends, validated by the protocol schema and kept inside the script's declared `touches`.
import { Mutation, mutationSubject, VibeSyncError, type Material, type SceneObject } from '../../../shared/protocol/index.js';
import type { SandboxResult, SceneData } from './sandbox.js';

type Ok = Extract<SandboxResult, { ok: true }>;
type Lookup = { objects: ReadonlyMap<string, SceneObject>; materials: ReadonlyMap<string, Material> };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function sceneData(scene: Lookup): SceneData {
  const byId = <T extends { id: string }>(m: ReadonlyMap<string, T>) => [...m.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { objects: byId(scene.objects), materials: byId(scene.materials) };
}

/**
 * The mutations that take `scene` to what the run left: materials first, then new objects (parents
 * before children), then edits, then deletions (children first). Mutation ids are `${pid}.${n}`.
 * Throws FORBIDDEN_PATH for a change outside `touches`, SCHEMA_VIOLATION for a value the protocol refuses.
 */
export function resultMutations(
  scene: Lookup,
  result: Ok,
  pid: string,
  targets: readonly string[],
  touches: readonly string[],
): Mutation[] {
  const allowed = new Set(touches);
  const raw: Array<Record<string, unknown>> = [];
  const creates: SceneObject[] = [];
  const deletes: string[] = [];
  const keyed = (kind: string, id: string, after: { id: string } | null) => {
    // The key names the subject checked against touches; the value must be that subject, not another.
    if (after && after.id !== id) throw new VibeSyncError('SCHEMA_VIOLATION', `the script's ${kind} ${id} came back as ${after.id}`);
  };
  for (const [id, after] of Object.entries(result.materials)) {
    keyed('material', id, after);
    const before = scene.materials.get(id) ?? null;
    if (!after) throw new VibeSyncError('SCHEMA_VIOLATION', `the script deleted material ${id}: scripts cannot delete materials`);
    if (!before) raw.push({ op: 'upsert_material', material: after });
    else {
      const changes: Record<string, unknown> = {};
      for (const k of ['name', 'baseColor', 'metallic', 'roughness'] as const) if (!same(before[k], after[k])) changes[k] = after[k];
      if (Object.keys(changes).length) raw.push({ op: 'set_material', materialId: id, changes });
    }
  }
  const edits: Array<Record<string, unknown>> = [];
  for (const [id, after] of Object.entries(result.objects)) {
    keyed('object', id, after);
    const before = scene.objects.get(id) ?? null;
    if (!before && after) creates.push(after);
    else if (before && !after) deletes.push(id);
    else if (before && after) {
      const transform: Record<string, unknown> = {};
      for (const k of ['position', 'rotation', 'scale'] as const)
        if (!same(before.transform[k], after.transform[k])) transform[k] = after.transform[k];
      if (Object.keys(transform).length) edits.push({ op: 'set_transform', objectId: id, transform });
      const props: Record<string, unknown> = {};
      for (const k of ['name', 'parent', 'materials'] as const) if (!same(before[k], after[k])) props[k] = after[k];
      if (Object.keys(props).length) edits.push({ op: 'set_props', objectId: id, props });
    }
  }
  const created = new Set(creates.map((o) => o.id));
  const depth = (o: SceneObject): number => {
    let d = 0;
    for (let p = o.parent; p && created.has(p) && d < created.size; d++) p = result.objects[p]?.parent ?? null;
    return d;
  };
  creates.sort((a, b) => depth(a) - depth(b) || (a.id < b.id ? -1 : 1));
  for (const object of creates) raw.push({ op: 'create', object });
  raw.push(...edits);
  const deleted = new Set(deletes);
  const below = (id: string): number => {
    let d = 0;
    for (let p = scene.objects.get(id)?.parent; p && deleted.has(p) && d < deleted.size; d++) p = scene.objects.get(p)?.parent;
    return d;
  };
  deletes.sort((a, b) => below(b) - below(a) || (a < b ? -1 : 1));
  for (const objectId of deletes) raw.push({ op: 'delete', objectId });
  return raw.map((m, i) => {
    const parsed = Mutation.safeParse({ mid: `${pid}.${i + 1}`, targets: [...targets], ...m });
    if (!parsed.success)
      throw new VibeSyncError(
        'SCHEMA_VIOLATION',
        `the script produced a change the protocol refuses: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    const subject = mutationSubject(parsed.data).id;
    if (!allowed.has(subject))
      throw new VibeSyncError('FORBIDDEN_PATH', `the script changed ${subject}, which it did not declare in touches`, {
        id: subject,
      });
    return parsed.data;
  });
}
