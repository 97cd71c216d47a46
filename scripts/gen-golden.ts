// Writes data/golden/canonical-vectors.json: input → canonical JSON → SHA-256 for every hash kind.
// The TypeScript test checks this file is current; the Python/C#/GDScript adapters test against it.
import { writeFileSync } from 'node:fs';
import { canonicalJson, canonicalMaterial, canonicalObject, hashing, type TxState } from '../shared/canonical/index.js';
import type { Scene } from '../shared/protocol/index.js';
import {
  area,
  boxGeometry,
  caseOrder,
  cube,
  edges,
  geometry,
  lamp,
  lit,
  ortho,
  perspective,
  red,
  scene,
  spot,
  sun,
  tilted,
  unnormalised,
} from './golden-inputs.js';

const sceneVector = (name: string, input: Scene) => ({
  name,
  kind: 'scene',
  input,
  canonical: hashing.sceneCanonical(input),
  sha256: hashing.sceneHash(input),
});
const txVector = (name: string, input: TxState) => ({
  name,
  kind: 'tx',
  input,
  canonical: hashing.txCanonical(input),
  sha256: hashing.txHash(input),
});
const geometryVector = (name: string, input: { positions: number[]; faces: number[][] }) => ({
  name,
  kind: 'geometry',
  input,
  canonical: hashing.geometryCanonical(input.positions, input.faces),
  sha256: hashing.geometryHash(input.positions, input.faces),
});

export function goldenVectors() {
  // lights and cameras come after the older vectors, which stay byte-identical
  const objects = [cube, lamp, tilted, unnormalised, edges, sun, spot, area, perspective, ortho].map((o) => ({
    name: `object ${o.id}`,
    kind: 'object',
    input: o,
    canonical: canonicalJson(canonicalObject(o)),
    sha256: hashing.objectHash(o),
  }));
  const tx = { objects: { 'obj-cube': cube, 'obj-gone': null }, materials: { 'mat-red': red } };
  const [upper, lower] = caseOrder;
  return {
    description:
      'VibeSync canonical hashing golden vectors. Regenerate with `node --import tsx scripts/gen-golden.ts`; every adapter must reproduce canonical and sha256 exactly.',
    steps: { position: 1e-4, rotation: 1e-6, scale: 1e-5, color: 1e-4 },
    vectors: [
      ...objects,
      {
        name: 'material mat-red',
        kind: 'material',
        input: red,
        canonical: canonicalJson(canonicalMaterial(red)),
        sha256: hashing.materialHash(red),
      },
      sceneVector('scene of four objects', scene),
      sceneVector('empty scene', { objects: [], materials: [] }),
      sceneVector('scene sorted by UTF-16 code unit: "Z-upper" before "a-lower"', { objects: [lower, upper], materials: [red] }),
      txVector('tx with a deletion', tx),
      txVector('tx: two objects, one material deleted', {
        objects: { 'obj-tilted': tilted, 'obj-lamp': lamp },
        materials: { 'mat-gone': null },
      }),
      txVector('tx: only deletions', { objects: { 'obj-a': null, 'obj-b': null }, materials: {} }),
      txVector('tx: keys sorted by UTF-16 code unit ("Z-upper" before "a-lower")', {
        objects: { 'a-lower': lower, 'Z-upper': upper },
        materials: {},
      }),
      geometryVector('geometry: 5 vertices, 3 faces', geometry),
      geometryVector('geometry: a 1 m box, 8 vertices, 6 quads', boxGeometry),
      sceneVector('scene with a sun, a spot light and a camera', lit),
      txVector('tx: a spot light and a camera', { objects: { 'obj-spot': spot, 'obj-ortho': ortho }, materials: {} }),
    ],
  };
}

export const GOLDEN_PATH = new URL('../data/golden/canonical-vectors.json', import.meta.url);

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(GOLDEN_PATH, JSON.stringify(goldenVectors(), null, 2) + '\n');
  console.log(`wrote ${GOLDEN_PATH.pathname}`);
}
