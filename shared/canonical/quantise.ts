// The agreed quantisation: every float in a hash becomes an integer count of a fixed step,
// rounded as floor(x / step + 0.5) — a rule Python, C# and GDScript reproduce exactly.
import { VibeSyncError } from '../protocol/errors.js';

export const STEPS = {
  /** metres: 0.1 mm */
  position: 1e-4,
  /** unit-quaternion components */
  rotation: 1e-6,
  scale: 1e-5,
  /** linear RGBA, metallic, roughness, light colour */
  color: 1e-4,
  /** light intensity: watts, or W/m² for a directional light */
  intensity: 1e-4,
  /** radians: spot cone half-angles, a camera's vertical field of view */
  angle: 1e-4,
} as const;

export function quantise(x: number, step: number): number {
  if (!Number.isFinite(x)) throw new VibeSyncError('NON_FINITE', `cannot hash non-finite value ${x}`);
  const v = Math.floor(x / step + 0.5);
  if (Math.abs(v) > 1e15) throw new VibeSyncError('NON_FINITE', `${x} is too large for the canonical form (step ${step})`);
  return v === 0 ? 0 : v; // never -0
}

export const quantiseVec = (v: readonly number[], step: number): number[] => v.map((x) => quantise(x, step));

/** sqrt(x² + y² + z² + w²), summed in that order, must be at least this (see ranges.ts). */
export const MIN_QUAT_LENGTH = 1e-6;

/** The quaternion length every language computes the same way: IEEE doubles, this order, one sqrt. */
export const quatLength = (q: readonly number[]) => Math.sqrt(q[0]! * q[0]! + q[1]! * q[1]! + q[2]! * q[2]! + q[3]! * q[3]!);

/** A rotation as one canonical integer 4-tuple [x, y, z, w]: normalised, then q and -q folded together. */
export function quantiseQuat(q: readonly [number, number, number, number]): number[] {
  const [x, y, z, w] = q;
  const norm = quatLength(q);
  if (!(norm >= MIN_QUAT_LENGTH) || !Number.isFinite(norm))
    throw new VibeSyncError('NON_FINITE', `rotation quaternion length ${norm} is below ${MIN_QUAT_LENGTH} or not finite`);
  const ints = [x / norm, y / norm, z / norm, w / norm].map((c) => quantise(c, STEPS.rotation));
  const order = [3, 0, 1, 2]; // w first, then x, y, z
  const lead = order.map((i) => ints[i]!).find((c) => c !== 0) ?? 0;
  return lead < 0 ? ints.map((c) => (c === 0 ? 0 : -c)) : ints;
}
