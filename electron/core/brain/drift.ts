// DRIFT_TAXONOMY (design-brief.md): compares what an engine reports with the brain's scene, object
// by object, and names each disagreement. Numeric (below the quantisation step) needs nothing;
// structural (missing / extra object or material, parent, type, mesh, transform, name) is resynced
// automatically; semantic (same structure, different meaning: materials, colour, units) asks a person.
import { quantise, quantiseQuat, STEPS } from '../../../shared/canonical/index.js';
import type { Material, Scene, SceneObject, Transform } from '../../../shared/protocol/index.js';

export type DriftClass = 'numeric' | 'structural' | 'semantic';
export interface ObjectDrift {
  id: string;
  kind: 'object' | 'material';
  drift: DriftClass;
  reason: string;
}
export interface DriftReport {
  /** the worst class found, or null when the two agree exactly */
  worst: DriftClass | null;
  items: ObjectDrift[];
}

const RANK: Record<DriftClass, number> = { numeric: 0, structural: 1, semantic: 2 };
/** scale factors between common units and metres: cm, mm, inch, foot, km (and their inverses) */
const UNIT_FACTORS = [100, 1000, 39.37007874, 3.280839895, 0.001].flatMap((f) => [f, 1 / f]);

const sameQ = (a: readonly number[], b: readonly number[], step: number) => a.every((x, i) => quantise(x, step) === quantise(b[i]!, step));
const exact = (a: readonly number[], b: readonly number[]) => a.every((x, i) => x === b[i]);

/** A position that is the brain's times one unit factor: the engine exported in other units. */
function unitFactor(brain: readonly number[], engine: readonly number[]): number | null {
  const big = brain.reduce((m, x, i) => (Math.abs(x) > Math.abs(brain[m]!) ? i : m), 0);
  if (Math.abs(brain[big]!) < 1e-3) return null;
  const ratio = engine[big]! / brain[big]!;
  const f = UNIT_FACTORS.find((u) => Math.abs(ratio / u - 1) < 1e-3);
  return f !== undefined &&
    sameQ(
      brain.map((x) => x * f),
      engine,
      STEPS.position,
    )
    ? f
    : null;
}

function transformDrift(b: Transform, e: Transform): Pick<ObjectDrift, 'drift' | 'reason'> | null {
  const qb = quantiseQuat(b.rotation).join(),
    qe = quantiseQuat(e.rotation).join();
  const quantEqual = sameQ(b.position, e.position, STEPS.position) && sameQ(b.scale, e.scale, STEPS.scale) && qb === qe;
  if (quantEqual) {
    const bit = exact(b.position, e.position) && exact(b.scale, e.scale) && exact(b.rotation, e.rotation);
    return bit ? null : { drift: 'numeric', reason: 'float noise below the quantisation step' };
  }
  const f = unitFactor(b.position, e.position);
  if (f !== null)
    return {
      drift: 'semantic',
      reason: `units: position is the orchestrator's × ${+f.toPrecision(6)} (the engine exports in other units)`,
    };
  return { drift: 'structural', reason: 'transform differs beyond the quantisation step' };
}

function objectDrift(b: SceneObject, e: SceneObject): Pick<ObjectDrift, 'drift' | 'reason'> | null {
  if (b.parent !== e.parent) return { drift: 'structural', reason: `parent ${e.parent ?? 'none'}, orchestrator has ${b.parent ?? 'none'}` };
  if (b.type !== e.type) return { drift: 'structural', reason: `type ${e.type}, orchestrator has ${b.type}` };
  if ((b.mesh === null) !== (e.mesh === null) || (b.mesh && e.mesh && b.mesh.vertexCount !== e.mesh.vertexCount)) {
    return {
      drift: 'structural',
      reason: `vertex count ${e.mesh?.vertexCount ?? 'none'}, orchestrator has ${b.mesh?.vertexCount ?? 'none'}`,
    };
  }
  if (b.mesh && e.mesh && b.mesh.geometryHash !== e.mesh.geometryHash)
    return { drift: 'structural', reason: 'geometry differs with the same vertex count' };
  if (b.materials.join() !== e.materials.join())
    return { drift: 'semantic', reason: `materials [${e.materials.join(', ')}], orchestrator has [${b.materials.join(', ')}]` };
  const t = transformDrift(b.transform, e.transform);
  if (t) return t;
  return b.name === e.name ? null : { drift: 'structural', reason: `name "${e.name}", orchestrator has "${b.name}"` };
}

/** Linear ↔ sRGB: the same colour read in the wrong colour space. */
const toSrgb = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

function materialDrift(b: Material, e: Material): Pick<ObjectDrift, 'drift' | 'reason'> | null {
  const rgb = (m: Material) => m.baseColor.slice(0, 3);
  if (!sameQ(b.baseColor, e.baseColor, STEPS.color)) {
    const space = [toSrgb, toLinear].some((f) => sameQ(rgb(b).map(f), rgb(e), 2e-3));
    return { drift: 'semantic', reason: space ? 'base colour read in the wrong colour space (sRGB vs linear)' : 'base colour differs' };
  }
  if (!sameQ([b.metallic, b.roughness], [e.metallic, e.roughness], STEPS.color))
    return { drift: 'semantic', reason: 'metallic / roughness differ' };
  if (JSON.stringify(b.textures) !== JSON.stringify(e.textures)) return { drift: 'semantic', reason: 'textures differ' };
  return exact(b.baseColor, e.baseColor) && b.metallic === e.metallic && b.roughness === e.roughness
    ? null
    : { drift: 'numeric', reason: 'float noise below the quantisation step' };
}

export function classifyDrift(brain: Scene, engine: Scene): DriftReport {
  const items: ObjectDrift[] = [];
  const eObjects = new Map(engine.objects.map((o) => [o.id, o]));
  for (const o of brain.objects) {
    const e = eObjects.get(o.id);
    eObjects.delete(o.id);
    const d = e ? objectDrift(o, e) : { drift: 'structural' as const, reason: 'missing on the engine' };
    if (d) items.push({ id: o.id, kind: 'object', ...d });
  }
  for (const id of eObjects.keys())
    items.push({ id, kind: 'object', drift: 'structural', reason: 'extra object the orchestrator does not have' });
  const eMaterials = new Map(engine.materials.map((m) => [m.id, m]));
  for (const m of brain.materials) {
    const e = eMaterials.get(m.id);
    eMaterials.delete(m.id);
    const d = e ? materialDrift(m, e) : { drift: 'structural' as const, reason: 'material missing on the engine' };
    if (d) items.push({ id: m.id, kind: 'material', ...d });
  }
  for (const id of eMaterials.keys())
    items.push({ id, kind: 'material', drift: 'structural', reason: 'extra material the orchestrator does not have' });
  const worst = items.reduce<DriftClass | null>((w, i) => (w === null || RANK[i.drift] > RANK[w] ? i.drift : w), null);
  return { worst, items };
}
