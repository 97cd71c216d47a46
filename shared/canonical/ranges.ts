// What the canonical form can hold. Every quantised integer must stay within ±MAX_QUANTISED
// (< 2^53, so every language computes and prints it exactly, in plain decimal), and a rotation must
// have a length the canonical form can divide by. A value outside these ranges is a Numerical Error
// (NON_FINITE), refused before anything is acknowledged or written, exactly like NaN.
import type { Camera, Light } from '../protocol/kinds.js';
import type { Material, Mutation, SceneObject, Transform } from '../protocol/index.js';
import { MIN_QUAT_LENGTH, STEPS, quatLength } from './quantise.js';

export const MAX_QUANTISED = 1e15;

/** The largest magnitude each kind of value may have on the wire. */
export const RANGES = {
  /** metres: 1e11 m / 0.1 mm = 1e15 */
  position: MAX_QUANTISED * STEPS.position,
  scale: MAX_QUANTISED * STEPS.scale,
  /** colour components, metallic, roughness */
  color: MAX_QUANTISED * STEPS.color,
  /** each quaternion component (the length is what is divided by; see MIN_QUAT_LENGTH) */
  quatComponent: 1e6,
  /** light intensity (W, W/m²) and angles (rad), both at step 1e-4 */
  intensity: MAX_QUANTISED * STEPS.intensity,
  angle: MAX_QUANTISED * STEPS.angle,
} as const;

type Problem = string | null;

function vec(v: readonly number[] | undefined, max: number, what: string): Problem {
  if (!v) return null;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) return `${what}[${i}] is not finite`;
    if (Math.abs(x) > max) return `${what}[${i}] = ${x} is outside ±${max}, which the canonical form cannot hold`;
  }
  return null;
}

/** One number, named as it is (no index): `light.intensity = 1e13 is outside …`. */
function num(x: number | null | undefined, max: number, what: string): Problem {
  if (x === null || x === undefined) return null;
  if (!Number.isFinite(x)) return `${what} is not finite`;
  return Math.abs(x) > max ? `${what} = ${x} is outside ±${max}, which the canonical form cannot hold` : null;
}

function quat(q: readonly number[] | undefined, what: string): Problem {
  if (!q) return null;
  const bad = vec(q, RANGES.quatComponent, what);
  if (bad) return bad;
  const len = quatLength(q);
  return len >= MIN_QUAT_LENGTH ? null : `${what} has length ${len}: a rotation needs a length of at least ${MIN_QUAT_LENGTH}`;
}

/** Within range, finite, a rotation with length: no message is built (a live frame checks 1,000 of these at 60 Hz). */
const fits = (v: readonly number[] | undefined, max: number) => {
  if (!v) return true;
  for (let i = 0; i < v.length; i++) if (!(Math.abs(v[i]!) <= max)) return false; // NaN fails too
  return true;
};

/** Whether the canonical form can hold this (partial) transform; `transformRangeProblem` says why not. */
export function transformFits(t: Partial<Transform>): boolean {
  const q = t.rotation;
  return (
    fits(t.position, RANGES.position) &&
    fits(t.scale, RANGES.scale) &&
    (!q || (fits(q, RANGES.quatComponent) && quatLength(q) >= MIN_QUAT_LENGTH))
  );
}

/** Why the canonical form cannot hold this (partial) transform, or null when it can: the live lane's check. */
export function transformRangeProblem(t: Partial<Transform>, what = 'transform'): Problem {
  return transform(t, what);
}

function transform(t: Partial<Transform>, what: string): Problem {
  return (
    vec(t.position, RANGES.position, `${what}.position`) ??
    quat(t.rotation, `${what}.rotation`) ??
    vec(t.scale, RANGES.scale, `${what}.scale`)
  );
}

function light(l: Light | null | undefined, what: string): Problem {
  if (!l) return null;
  return (
    vec(l.color, RANGES.color, `${what}.color`) ??
    num(l.intensity, RANGES.intensity, `${what}.intensity`) ??
    num(l.range, RANGES.position, `${what}.range`) ??
    num(l.spot?.inner, RANGES.angle, `${what}.spot.inner`) ??
    num(l.spot?.outer, RANGES.angle, `${what}.spot.outer`)
  );
}

function camera(c: Camera | null | undefined, what: string): Problem {
  if (!c) return null;
  return (
    num(c.yfov, RANGES.angle, `${what}.yfov`) ??
    num(c.orthoSize, RANGES.position, `${what}.orthoSize`) ??
    num(c.near, RANGES.position, `${what}.near`) ??
    num(c.far, RANGES.position, `${what}.far`)
  );
}

function object(o: SceneObject, what: string): Problem {
  return (
    transform(o.transform, `${what}.transform`) ??
    light(o.light, `${what}.light`) ??
    camera(o.camera, `${what}.camera`) ??
    (o.mesh
      ? (vec(o.mesh.bounds.min, RANGES.position, `${what}.mesh.bounds.min`) ??
        vec(o.mesh.bounds.max, RANGES.position, `${what}.mesh.bounds.max`))
      : null)
  );
}

function material(m: Partial<Pick<Material, 'baseColor' | 'metallic' | 'roughness'>>, what: string): Problem {
  return (
    vec(m.baseColor, RANGES.color, `${what}.baseColor`) ??
    vec(m.metallic === undefined ? undefined : [m.metallic], RANGES.color, `${what}.metallic`) ??
    vec(m.roughness === undefined ? undefined : [m.roughness], RANGES.color, `${what}.roughness`)
  );
}

/** Why the canonical form cannot hold this mutation, or null when it can. */
export function mutationRangeProblem(m: Mutation, what = 'mutation'): Problem {
  switch (m.op) {
    case 'set_transform':
      return transform(m.transform, `${what}.transform`);
    case 'set_props': {
      const b = m.props.mesh?.bounds;
      return (
        (b
          ? (vec(b.min, RANGES.position, `${what}.props.mesh.bounds.min`) ?? vec(b.max, RANGES.position, `${what}.props.mesh.bounds.max`))
          : null) ??
        light(m.props.light, `${what}.props.light`) ??
        camera(m.props.camera, `${what}.props.camera`)
      );
    }
    case 'set_material':
      return material(m.changes, `${what}.changes`);
    case 'create':
      return object(m.object, `${what}.object`);
    case 'upsert_material':
      return material(m.material, `${what}.material`);
    case 'delete':
      return null;
  }
}

/** Why the canonical form cannot hold this scene, or null when it can. */
export function sceneRangeProblem(scene: { objects: readonly SceneObject[]; materials: readonly Material[] }): Problem {
  for (let i = 0; i < scene.objects.length; i++) {
    const p = object(scene.objects[i]!, `scene.objects[${i}]`);
    if (p) return p;
  }
  for (let i = 0; i < scene.materials.length; i++) {
    const p = material(scene.materials[i]!, `scene.materials[${i}]`);
    if (p) return p;
  }
  return null;
}
