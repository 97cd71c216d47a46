import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESH_GOLDEN_PATH, meshVectors } from '../../scripts/gen-mesh-golden.js';
import { decodeMesh, encodeMesh, facesOf, meshBlobHash, meshSummaryOf, positionsMetres, uvsFromBlob, type MeshData } from './mesh.js';

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

describe('mesh golden vectors (data/golden/mesh-vectors.json)', () => {
  it('the committed file is what the TypeScript implementation produces', () => {
    const committed = JSON.parse(readFileSync(MESH_GOLDEN_PATH, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(meshVectors())));
  });
  it('each sha256 is SHA-256 of exactly the blob bytes, and the summary is read from the blob alone', () => {
    for (const v of meshVectors().vectors) {
      const blob = fromHex(v.blob);
      expect(createHash('sha256').update(blob).digest('hex'), v.name).toBe(v.sha256);
      expect(meshSummaryOf(blob), v.name).toEqual(v.summary);
    }
  });
  it('rounds to float32 before quantising: 0.00015 is 2 steps (engines store float32), and -0 is 0', () => {
    const d = decodeMesh(encodeMesh({ positions: [0.00015, -0, -0.00005], faceSizes: [], corners: [] }));
    expect(Array.from(d.positions)).toEqual([2, 0, 0]);
  });
});

describe('mesh blob round trip: what a target rebuilds re-encodes to the same bytes', () => {
  it('float32 storage of the decoded metres gives back the blob, for any mesh on the grid', () => {
    const coord = fc.oneof(fc.double({ min: -2000, max: 2000, noNaN: true }), fc.double({ min: -200_000, max: 200_000, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(coord, coord, coord), { minLength: 3, maxLength: 40 }), fc.boolean(), (verts, withUv) => {
        const V = verts.length;
        const corners = [0, 1, 2, V - 1, 0, 1];
        const src: MeshData = {
          positions: verts.flat(),
          faceSizes: [3, 3],
          corners,
          slots: [1, 0],
          uvs: withUv ? corners.flatMap((c) => [verts[c]![0] / 1e4, verts[c]![1] / 1e4]) : null,
        };
        const blob = encodeMesh(src);
        const d = decodeMesh(blob);
        // a target stores float32 (Float32Array), then exports what it holds
        const held: MeshData = {
          positions: Float32Array.from(positionsMetres(d)),
          faceSizes: d.faceSizes,
          corners: d.corners,
          slots: d.slots,
          uvs: withUv ? Float32Array.from(uvsFromBlob(d)!) : null,
        };
        expect(meshBlobHash(encodeMesh(held))).toBe(meshBlobHash(blob));
        expect(facesOf(d)).toEqual([corners.slice(0, 3), corners.slice(3)]);
      }),
    );
  });
  it('moving one vertex by one step changes the hash', () => {
    const m = { positions: [0, 0, 0, 1, 0, 0, 0, 1, 0], faceSizes: [3], corners: [0, 1, 2] };
    const moved = { ...m, positions: [0, 0, 0, 1.0001, 0, 0, 0, 1, 0] };
    expect(meshBlobHash(encodeMesh(moved))).not.toBe(meshBlobHash(encodeMesh(m)));
  });
});

describe('bad meshes are refused with typed errors', () => {
  const ok = { positions: [0, 0, 0, 1, 0, 0, 0, 1, 0], faceSizes: [3], corners: [0, 1, 2] };
  it.each([
    ['a corner naming a missing vertex', { ...ok, corners: [0, 1, 3] }, /SCHEMA_VIOLATION: mesh: corner 2 names vertex 3 of 3/],
    ['a face of two corners', { ...ok, faceSizes: [2], corners: [0, 1] }, /SCHEMA_VIOLATION: mesh: face 0 has 2 corners/],
    ['corner count disagreeing with the faces', { ...ok, faceSizes: [4] }, /SCHEMA_VIOLATION/],
    ['a NaN position', { ...ok, positions: [NaN, 0, 0, 1, 0, 0, 0, 1, 0] }, /NON_FINITE/],
    ['a position beyond the int32 grid (214 km)', { ...ok, positions: [300_000, 0, 0, 1, 0, 0, 0, 1, 0] }, /NON_FINITE/],
    ['UVs not two per corner', { ...ok, uvs: [0, 0] }, /SCHEMA_VIOLATION/],
  ])('%s', (_what, mesh, err) => {
    expect(() => encodeMesh(mesh as MeshData)).toThrow(err);
  });
  it('a truncated or foreign blob', () => {
    const blob = encodeMesh(ok);
    expect(() => decodeMesh(blob.subarray(0, blob.length - 4))).toThrow(/SCHEMA_VIOLATION: mesh: blob is/);
    expect(() => decodeMesh(new TextEncoder().encode('PNG\0 not a mesh at all...'))).toThrow(/does not start with "VSM1"/);
  });
});
