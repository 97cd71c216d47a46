// Which blobs a scene or some mutations reference: what a target must hold before it can apply
// them, and what garbage collection must keep.
import type { Mutation, Scene } from '../../../shared/protocol/index.js';

/** The mesh blob hashes a scene references. */
export function sceneBlobs(scene: Scene, into = new Set<string>()): Set<string> {
  for (const o of scene.objects) if (o.mesh?.blob) into.add(o.mesh.geometryHash);
  return into;
}

/** The mesh blob hashes some mutations reference. */
export function mutationBlobs(mutations: readonly Mutation[], into = new Set<string>()): Set<string> {
  for (const m of mutations) {
    if (m.op === 'create' && m.object.mesh?.blob) into.add(m.object.mesh.geometryHash);
    else if (m.op === 'set_props' && m.props.mesh?.blob) into.add(m.props.mesh.geometryHash);
  }
  return into;
}

/** The handshake capability of an engine that receives blob chunk frames and rebuilds meshes from them. */
export const BLOBS_CAPABILITY = 'blobs';

type Mesh = Scene['objects'][number]['mesh'];
const summaryOnly = (m: Mesh): Mesh => {
  if (!m?.blob) return m;
  const { blob: _blob, ...rest } = m;
  return rest;
};

/**
 * What an engine without the `blobs` capability is sent: the same scene with `blob` dropped from
 * every mesh, so it keeps its bounds-only behaviour (no binary frame reaches it).
 */
export function withoutBlobFlags(scene: Scene): Scene {
  if (!scene.objects.some((o) => o.mesh?.blob)) return scene;
  return { ...scene, objects: scene.objects.map((o) => (o.mesh?.blob ? { ...o, mesh: summaryOnly(o.mesh) } : o)) };
}

export function mutationsWithoutBlobFlags(mutations: Mutation[]): Mutation[] {
  if (mutationBlobs(mutations).size === 0) return mutations;
  return mutations.map((m) => {
    if (m.op === 'create' && m.object.mesh?.blob) return { ...m, object: { ...m.object, mesh: summaryOnly(m.object.mesh) } };
    if (m.op === 'set_props' && m.props.mesh?.blob) return { ...m, props: { ...m.props, mesh: summaryOnly(m.props.mesh) } };
    return m;
  });
}
