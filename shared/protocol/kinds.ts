// Lights and cameras as first-class kinds, and the mark on what a source could not send. Units are
// physical and engine-neutral; each adapter converts at its edge (docs/protocol.md › Lights and
// cameras lists every engine's conversion).
import { z } from 'zod';

const finite = z.number();

export const LightKind = z.enum(['point', 'spot', 'directional', 'area']);

export const Light = z.strictObject({
  kind: LightKind,
  /** linear RGB */
  color: z.tuple([finite, finite, finite]),
  /** radiant power in watts (point, spot, area); irradiance in W/m² (directional) */
  intensity: finite,
  /** metres where the light stops, or null: no cut-off (the engine's physical falloff) */
  range: finite.nullable(),
  /** spot only: half-angles of the cone in radians, inner (full intensity) ≤ outer (edge) */
  spot: z.strictObject({ inner: finite, outer: finite }).nullable(),
});
export type Light = z.infer<typeof Light>;

export const Camera = z.strictObject({
  projection: z.enum(['perspective', 'orthographic']),
  /** perspective: the vertical field of view in radians; null for orthographic */
  yfov: finite.nullable(),
  /** orthographic: half the vertical extent in metres (Unity's orthographicSize); null for perspective */
  orthoSize: finite.nullable(),
  /** clip planes in metres */
  near: finite,
  far: finite,
});
export type Camera = z.infer<typeof Camera>;

/**
 * Why a source could not send an object as it is (an armature, a curve, text, grease pencil,
 * modifiers, a collection instance): the object travels as what the wire can carry (an empty, or
 * the base mesh), and every panel and /healthz shows this reason. Not part of the canonical form:
 * it describes what the source lacks, not what a target must hold.
 */
export const NotSynced = z.strictObject({
  /** a short machine-readable cause */
  kind: z.enum(['armature', 'skinning', 'curve', 'text', 'grease_pencil', 'modifiers', 'instance', 'bone_parent', 'other']),
  reason: z.string().min(1).max(256),
});
export type NotSynced = z.infer<typeof NotSynced>;
