// Test support for the blob tests (electron/core/blobs/blobs-*.test.ts): what a harness's blob
// store holds on disk, which blobs the orchestrator's scene references, the order a simulator saw
// blobs and messages in, and small mesh blobs to send.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMesh } from '../../shared/canonical/index.js';
import { SimAdapter } from '../../adapters/sim/sim-adapter.js';
import type { Harness } from './harness.js';

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const triangle = (x: number) => encodeMesh({ positions: [0, 0, 0, x, 0, 0, 0, 1, 0], faceSizes: [3], corners: [0, 1, 2] });

/** The order a sim saw blobs and JSON messages in. */
export function arrivals(sim: SimAdapter): string[] {
  const seen: string[] = [];
  sim.on('blob', (hash: string) => seen.push(`blob:${hash}`));
  sim.on('message', (m: { type: string }) => seen.push(m.type));
  return seen;
}

/** Probes of the harness a test file holds (read through `harness()`, since each test starts its own). */
export function blobProbes(harness: () => Harness) {
  /** The blobs on disk (<data>/blobs/<2 hex>/<sha256>), sorted. */
  const stored = () => {
    const root = join(harness().dir, 'blobs');
    return readdirSync(root)
      .filter((d) => /^[0-9a-f]{2}$/.test(d))
      .flatMap((d) => readdirSync(join(root, d)))
      .sort();
  };
  /** Uploads still being written. */
  const tmpFiles = () => readdirSync(join(harness().dir, 'blobs', 'tmp'));
  /** The mesh blobs the orchestrator's scene references, sorted. */
  const meshesReferenced = () =>
    [...new Set([...harness().orch.brain.state.scene.objects.values()].flatMap((o) => (o.mesh?.blob ? [o.mesh.geometryHash] : [])))].sort();
  /** The texture blobs the orchestrator's materials reference, sorted. */
  const texturesReferenced = () =>
    [
      ...new Set(
        [...harness().orch.brain.state.scene.materials.values()].flatMap((m) => m.textures.filter((t) => t.blob).map((t) => t.hash)),
      ),
    ].sort();
  const referenced = () => [...meshesReferenced(), ...texturesReferenced()].sort();

  /** A target simulator that starts holding no blobs at all (its own scene has no meshes). */
  function bareTarget(name: string): SimAdapter {
    const h = harness();
    const t = new SimAdapter({ url: h.orch.url, token: h.orch.tokens.issue('adapter', name).token, name, roles: ['target'], objects: 1 });
    t.blobs.clear();
    h.sims.push(t);
    return t;
  }

  return { stored, tmpFiles, texturesReferenced, referenced, bareTarget };
}
