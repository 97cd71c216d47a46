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
