// Writes data/golden/canonical-vectors.json: input → canonical JSON → SHA-256 for every hash kind.
// The TypeScript test checks this file is current; the Python/C#/GDScript adapters test against it.
import { writeFileSync } from 'node:fs';
import { canonicalJson, canonicalMaterial, canonicalObject, hashing } from '../shared/canonical/index.js';
import { cube, geometry, lamp, red, scene, tilted, unnormalised } from './golden-inputs.js';

export function goldenVectors() {
  const objects = [cube, lamp, tilted, unnormalised].map((o) => ({
    name: `object ${o.id}`, kind: 'object', input: o, canonical: canonicalJson(canonicalObject(o)), sha256: hashing.objectHash(o),
  }));
  const tx = { objects: { 'obj-cube': cube, 'obj-gone': null }, materials: { 'mat-red': red } };
  return {
    description: 'VibeSync canonical hashing golden vectors. Regenerate with `node --import tsx scripts/gen-golden.ts`; every adapter must reproduce canonical and sha256 exactly.',
    steps: { position: 1e-4, rotation: 1e-6, scale: 1e-5, color: 1e-4 },
    vectors: [
      ...objects,
      { name: 'material mat-red', kind: 'material', input: red, canonical: canonicalJson(canonicalMaterial(red)), sha256: hashing.materialHash(red) },
      { name: 'scene of four objects', kind: 'scene', input: scene, canonical: null, sha256: hashing.sceneHash(scene) },
      { name: 'tx with a deletion', kind: 'tx', input: tx, canonical: null, sha256: hashing.txHash(tx) },
      { name: 'geometry: 5 vertices, 3 faces', kind: 'geometry', input: geometry, canonical: null, sha256: hashing.geometryHash(geometry.positions, geometry.faces) },
    ],
  };
}

export const GOLDEN_PATH = new URL('../data/golden/canonical-vectors.json', import.meta.url);

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(GOLDEN_PATH, JSON.stringify(goldenVectors(), null, 2) + '\n');
  console.log(`wrote ${GOLDEN_PATH.pathname}`);
}
