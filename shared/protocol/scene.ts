// Scene model on the wire. Coordinates are always canonical: right-handed, +Y up, metres,
// rotations as unit quaternions [x, y, z, w] (the glTF convention). Adapters convert.
import { z } from 'zod';
import { Camera, Light, NotSynced } from './kinds.js';

export const LIMITS = {
  maxObjects: 200_000,
  maxNameLength: 256,
  maxIdLength: 128,
  maxMaterialsPerObject: 64,
  maxBatch: 5_000,
  maxScriptBytes: 64 * 1024,
  maxTargets: 32,
} as const;

// zod 4's z.number() already refuses NaN and ±Infinity (and stays on its fast JIT path, unlike a refine).
const finite = z.number();
export const Vec3 = z.tuple([finite, finite, finite]);
export const Quat = z.tuple([finite, finite, finite, finite]);
export const Rgba = z.tuple([finite, finite, finite, finite]);
export const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (SHA-256)');
export const ObjectId = z
  .string()
  .min(1)
  .max(LIMITS.maxIdLength)
  .regex(
    /^(?!(?:__proto__|constructor|prototype)$)[A-Za-z0-9_.:-]+$/,
    'ids use A-Z a-z 0-9 _ . : - only and are not __proto__/constructor/prototype',
  );
export const EngineName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'engine names are lowercase: a-z 0-9 _ . -');

/** Whether an adapter or agent token named `bound` (an exact name, or a prefix ending in `*`) may connect as `name`. */
export function nameAllowed(bound: string, name: string): boolean {
  return bound.endsWith('*') ? name.startsWith(bound.slice(0, -1)) : bound === name;
}

export const Transform = z.strictObject({ position: Vec3, rotation: Quat, scale: Vec3 });
export type Transform = z.infer<typeof Transform>;

export const Bounds = z.strictObject({ min: Vec3, max: Vec3 });

export const MeshSummary = z.strictObject({
  vertexCount: z.number().int().nonnegative(),
  faceCount: z.number().int().nonnegative(),
  geometryHash: Hex64,
  bounds: Bounds,
  /**
   * The mesh travels as content: `geometryHash` is the SHA-256 of its canonical mesh blob ("VSM1",
   * docs/protocol.md "Mesh blobs"), which the orchestrator holds. Absent: a summary only (bounds,
   * counts and the `{"f","v"}` geometry hash), what an engine that sends no geometry reports.
   * Not part of the object's canonical form.
   */
  blob: z.literal(true).optional(),
});
export type MeshSummary = z.infer<typeof MeshSummary>;

/** How a texture blob's bytes are encoded: the image file as the source holds it. */
export const TextureFormat = z.enum(['png', 'jpeg']);

export const Texture = z.strictObject({
  slot: z.string().min(1).max(64),
  /** pixels, as the image file's header says */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  hash: Hex64,
  /** the image file's encoding; sent with `blob` (a target still decodes by the bytes' own signature) */
  format: TextureFormat.optional(),
  /**
   * The texture travels as content: `hash` is the SHA-256 of the encoded image file (`format`), a
   * blob of kind `texture` the orchestrator holds (docs/protocol.md "Texture blobs"). Absent: a
   * reference only, what an engine that sends no images reports. Neither `blob` nor `format` is
   * part of the material's canonical form: the hashed bytes already fix both.
   */
  blob: z.literal(true).optional(),
});
export type Texture = z.infer<typeof Texture>;

export const Material = z.strictObject({
  id: ObjectId,
  name: z.string().max(LIMITS.maxNameLength),
  baseColor: Rgba,
  metallic: finite,
  roughness: finite,
  textures: z.array(Texture).max(32),
});
export type Material = z.infer<typeof Material>;

export const ObjectType = z.enum(['mesh', 'empty', 'light', 'camera', 'other']);

export const SceneObject = z.strictObject({
  id: ObjectId,
  name: z.string().max(LIMITS.maxNameLength),
  type: ObjectType,
  parent: ObjectId.nullable(),
  transform: Transform,
  mesh: MeshSummary.nullable(),
  materials: z.array(ObjectId).max(LIMITS.maxMaterialsPerObject),
  /** type `light` only; absent (or null) on objects hashed before lights were a kind */
  light: Light.nullable().optional(),
  /** type `camera` only */
  camera: Camera.nullable().optional(),
  /** what the source could not send about this object (kinds.ts); not hashed */
  notSynced: NotSynced.nullable().optional(),
});
export type SceneObject = z.infer<typeof SceneObject>;

export const Scene = z.strictObject({
  objects: z.array(SceneObject).max(LIMITS.maxObjects),
  materials: z.array(Material).max(10_000),
});
export type Scene = z.infer<typeof Scene>;
