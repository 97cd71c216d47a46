// A mutation changes one object or material, and names every engine it must reach (explicit routing).
import { z } from 'zod';
import { Camera, Light, NotSynced } from './kinds.js';
import { EngineName, LIMITS, Material, MeshSummary, ObjectId, Quat, Rgba, SceneObject, Vec3 } from './scene.js';

// zod 4's z.number() already refuses NaN and ±Infinity (and stays on its fast JIT path, unlike a refine).
const finite = z.number();
const base = {
  mid: z.string().min(1).max(64),
  targets: z.array(EngineName).min(1).max(LIMITS.maxTargets),
};

export const SetTransform = z.strictObject({
  ...base,
  op: z.literal('set_transform'),
  objectId: ObjectId,
  transform: z.strictObject({ position: Vec3.optional(), rotation: Quat.optional(), scale: Vec3.optional() }),
});

export const SetProps = z.strictObject({
  ...base,
  op: z.literal('set_props'),
  objectId: ObjectId,
  props: z.strictObject({
    name: z.string().max(LIMITS.maxNameLength).optional(),
    parent: ObjectId.nullable().optional(),
    materials: z.array(ObjectId).max(LIMITS.maxMaterialsPerObject).optional(),
    mesh: MeshSummary.nullable().optional(),
    light: Light.nullable().optional(),
    camera: Camera.nullable().optional(),
    notSynced: NotSynced.nullable().optional(),
  }),
});

export const SetMaterial = z.strictObject({
  ...base,
  op: z.literal('set_material'),
  materialId: ObjectId,
  changes: z.strictObject({
    name: z.string().max(LIMITS.maxNameLength).optional(),
    baseColor: Rgba.optional(),
    metallic: finite.optional(),
    roughness: finite.optional(),
  }),
});

export const CreateObject = z.strictObject({ ...base, op: z.literal('create'), object: SceneObject });
export const DeleteObject = z.strictObject({ ...base, op: z.literal('delete'), objectId: ObjectId });
export const UpsertMaterial = z.strictObject({ ...base, op: z.literal('upsert_material'), material: Material });

export const Mutation = z.discriminatedUnion('op', [SetTransform, SetProps, SetMaterial, CreateObject, DeleteObject, UpsertMaterial]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationOp = Mutation['op'];

/** The object (or material) a mutation touches, for the ID map and locking. */
export function mutationSubject(m: Mutation): { kind: 'object' | 'material'; id: string } {
  switch (m.op) {
    case 'set_material':
      return { kind: 'material', id: m.materialId };
    case 'upsert_material':
      return { kind: 'material', id: m.material.id };
    case 'create':
      return { kind: 'object', id: m.object.id };
    default:
      return { kind: 'object', id: m.objectId };
  }
}
