// Writes data/golden/mesh-vectors.json: mesh input → canonical "VSM1" blob (hex) → SHA-256, the
// contract for every adapter that sends or rebuilds real geometry. canonical-vectors.json is untouched.
import { writeFileSync } from 'node:fs';
import { bytesToHex } from '@noble/hashes/utils';
import { encodeMesh, meshBlobHash, meshSummaryOf, type MeshData } from '../shared/canonical/index.js';
import { boxGeometry } from './golden-inputs.js';

interface MeshInput {
  positions: number[];
  faceSizes: number[];
  corners: number[];
  slots: number[];
  uvs: number[] | null;
}

const box: MeshInput = {
  positions: boxGeometry.positions,
  faceSizes: boxGeometry.faces.map((f) => f.length),
  corners: boxGeometry.faces.flat(),
  slots: [0, 0, 0, 0, 0, 0],
  uvs: null,
};

/** Boundaries: 0.00015 quantises to 1 as a double but to 2 once rounded to float32 (what engines store); -0 is 0. */
const slotsAndUvs: MeshInput = {
  positions: [0.00015, -0.00005, -0, 1, 0, 0, 1, 2.5, 0, 0, 2.5, -3.25, 123.4567891, -0.00004999, 1e-9],
  faceSizes: [4, 3],
  corners: [0, 1, 2, 3, 0, 3, 4],
  slots: [0, 2],
  uvs: [0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.25, -0.25, 2.000005, 0.123455, 0.999999],
};

const empty: MeshInput = { positions: [], faceSizes: [], corners: [], slots: [], uvs: null };

const vector = (name: string, input: MeshInput) => {
  const blob = encodeMesh(input as MeshData);
  return { name, kind: 'mesh', input, blob: bytesToHex(blob), sha256: meshBlobHash(blob), summary: meshSummaryOf(blob) };
};

export function meshVectors() {
  return {
    description:
      'VibeSync canonical mesh blobs ("VSM1", docs/protocol.md "Mesh blobs"). Regenerate with `node --import tsx scripts/gen-mesh-golden.ts`; every adapter must reproduce blob (hex) and sha256 exactly from input, and summary from blob.',
    steps: { position: 1e-4, uv: 1e-5 },
    vectors: [
      vector('mesh: a 1 m box, 8 vertices, 6 quads, no UVs', box),
      vector('mesh: a quad and a triangle, material slots 0 and 2, UVs, float32 and -0 boundaries', slotsAndUvs),
      vector('mesh: empty', empty),
    ],
  };
}

export const MESH_GOLDEN_PATH = new URL('../data/golden/mesh-vectors.json', import.meta.url);

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(MESH_GOLDEN_PATH, JSON.stringify(meshVectors(), null, 2) + '\n');
  console.log(`wrote ${MESH_GOLDEN_PATH.pathname}`);
}
