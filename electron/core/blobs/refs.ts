// Which blobs a scene or some mutations reference (mesh blobs, texture blobs): what a target must
// hold before it can apply them, and what garbage collection must keep.
import type { Material, Mutation, Scene } from '../../../shared/protocol/index.js';

function materialBlobs(m: Material, into: Set<string>): void {
  for (const t of m.textures) if (t.blob) into.add(t.hash);
}

/** The blob hashes a scene references: its objects' mesh blobs and its materials' texture blobs. */
export function sceneBlobs(scene: Scene, into = new Set<string>()): Set<string> {
  for (const o of scene.objects) if (o.mesh?.blob) into.add(o.mesh.geometryHash);
  for (const m of scene.materials) materialBlobs(m, into);
  return into;
}

/** The blob hashes some mutations reference. */
export function mutationBlobs(mutations: readonly Mutation[], into = new Set<string>()): Set<string> {
  for (const m of mutations) {
    if (m.op === 'create' && m.object.mesh?.blob) into.add(m.object.mesh.geometryHash);
    else if (m.op === 'set_props' && m.props.mesh?.blob) into.add(m.props.mesh.geometryHash);
    else if (m.op === 'upsert_material') materialBlobs(m.material, into);
  }
  return into;
}

/** How a message uses a blob: as a mesh with these counts and bounds, or as a texture of this size (the orchestrator checks both against the bytes). */
export type BlobUse =
  | { hash: string; kind: 'mesh'; vertexCount: number; faceCount: number; bounds: MeshSummary['bounds'] }
  | { hash: string; kind: 'texture'; width: number; height: number; format: 'png' | 'jpeg' | undefined };

type MeshSummary = NonNullable<Scene['objects'][number]['mesh']>;
const meshUse = (m: MeshSummary): BlobUse => ({
  hash: m.geometryHash,
  kind: 'mesh',
  vertexCount: m.vertexCount,
  faceCount: m.faceCount,
  bounds: m.bounds,
});

function materialUses(m: Material, into: BlobUse[]): void {
  for (const t of m.textures) if (t.blob) into.push({ hash: t.hash, kind: 'texture', width: t.width, height: t.height, format: t.format });
}

/** Every blob a scene references, with how it uses it. */
export function sceneBlobUses(scene: Scene): BlobUse[] {
  const out: BlobUse[] = [];
  for (const o of scene.objects) if (o.mesh?.blob) out.push(meshUse(o.mesh));
  for (const m of scene.materials) materialUses(m, out);
  return out;
}

/** Every blob some mutations reference, with how they use it. */
export function mutationBlobUses(mutations: readonly Mutation[]): BlobUse[] {
  const out: BlobUse[] = [];
  for (const m of mutations) {
    if (m.op === 'create' && m.object.mesh?.blob) out.push(meshUse(m.object.mesh));
    else if (m.op === 'set_props' && m.props.mesh?.blob) out.push(meshUse(m.props.mesh));
    else if (m.op === 'upsert_material') materialUses(m.material, out);
  }
  return out;
}

/** The handshake capability of an engine that receives blob chunk frames and rebuilds meshes and images from them. */
export const BLOBS_CAPABILITY = 'blobs';

type Mesh = Scene['objects'][number]['mesh'];
const summaryOnly = (m: Mesh): Mesh => {
  if (!m?.blob) return m;
  const { blob: _blob, ...rest } = m;
  return rest;
};

const hasBlobFields = (m: Material) => m.textures.some((t) => t.blob || t.format);
const referencesOnly = (m: Material): Material =>
  hasBlobFields(m) ? { ...m, textures: m.textures.map(({ blob: _blob, format: _format, ...ref }) => ref) } : m;

/**
 * What an engine without the `blobs` capability is sent: the same scene with `blob` dropped from
 * every mesh and `blob` and `format` from every texture, so it keeps its summary-only behaviour
 * (no binary frame reaches it, and it sees the fields it always saw).
 */
export function withoutBlobFlags(scene: Scene): Scene {
  if (!scene.objects.some((o) => o.mesh?.blob) && !scene.materials.some(hasBlobFields)) return scene;
  return {
    objects: scene.objects.map((o) => (o.mesh?.blob ? { ...o, mesh: summaryOnly(o.mesh) } : o)),
    materials: scene.materials.map(referencesOnly),
  };
}

export function mutationsWithoutBlobFlags(mutations: Mutation[]): Mutation[] {
  if (mutationBlobs(mutations).size === 0 && !mutations.some((m) => m.op === 'upsert_material' && hasBlobFields(m.material)))
    return mutations;
  return mutations.map((m) => {
    if (m.op === 'create' && m.object.mesh?.blob) return { ...m, object: { ...m.object, mesh: summaryOnly(m.object.mesh) } };
    if (m.op === 'set_props' && m.props.mesh?.blob) return { ...m, props: { ...m.props, mesh: summaryOnly(m.props.mesh) } };
    if (m.op === 'upsert_material') return { ...m, material: referencesOnly(m.material) };
    return m;
  });
}
