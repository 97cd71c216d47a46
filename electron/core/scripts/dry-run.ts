// A script proposal's effect, computed in the sandbox against the scene as it is now: the protocol
// mutations it would send, and the before/after field changes a reviewer reads — the same table an
// ordinary edit shows. Run at proposal time and again at approval (proposals.ts compares the two).
import type { FieldChange } from '../../../shared/ipc/index.js';
import { VibeSyncError, type Material, type Mutation, type SceneObject } from '../../../shared/protocol/index.js';
import { materialChanges, objectChanges } from '../brain/diff.js';
import { resultMutations, sceneData } from './mutations.js';
import type { SandboxResult, SceneData } from './sandbox.js';

/** The sandbox as the brain sees it (sandbox.ts; tests may pass their own). */
export interface ScriptRunner {
  run(code: string, scene: SceneData): Promise<SandboxResult>;
}

type Scene = { objects: ReadonlyMap<string, SceneObject>; materials: ReadonlyMap<string, Material> };

export type DryRun = { ok: true; mutations: Mutation[]; output: string } | { ok: false; reason: string };

/** Runs `code` once over `scene()` (read again after the run) and turns the result into mutations. */
export async function dryRun(
  runner: ScriptRunner | undefined,
  scene: () => Scene,
  code: string,
  pid: string,
  targets: readonly string[],
  touches: readonly string[],
): Promise<DryRun> {
  if (!runner) return { ok: false, reason: 'SCRIPT_FAILED: this orchestrator has no script sandbox' };
  const r = await runner.run(code, sceneData(scene()));
  if (!r.ok) return { ok: false, reason: `${r.code}: ${r.message}`.slice(0, 2000) };
  try {
    return { ok: true, mutations: resultMutations(scene(), r, pid, targets, touches), output: r.output };
  } catch (e) {
    if (e instanceof VibeSyncError) return { ok: false, reason: e.message.slice(0, 2000) };
    throw e;
  }
}

/** What a reviewer reads: per subject, the fields that change (`cube.transform.position`), or the whole object created / deleted. */
export function reviewChanges(
  scene: Scene,
  patch: { objects: ReadonlyMap<string, SceneObject | null>; materials: ReadonlyMap<string, Material | null> },
): FieldChange[] {
  const out: FieldChange[] = [];
  const label = (kind: string, id: string, c: FieldChange) => ({
    ...c,
    path: c.path === kind ? `${kind} ${id}` : `${id}.${c.path.replace(/^material\./, '')}`,
  });
  for (const [id, after] of patch.materials)
    out.push(...materialChanges(scene.materials.get(id) ?? null, after).map((c) => label('material', id, c)));
  for (const [id, after] of patch.objects)
    out.push(...objectChanges(scene.objects.get(id) ?? null, after).map((c) => label('object', id, c)));
  return out;
}

/** Two runs agree when they would send the same mutations. */
export const sameResult = (a: readonly Mutation[], b: readonly Mutation[]) => JSON.stringify(a) === JSON.stringify(b);
