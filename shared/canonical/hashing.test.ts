import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goldenVectors, GOLDEN_PATH } from '../../scripts/gen-golden.js';
import { boxGeometry, cube } from '../../scripts/golden-inputs.js';
import { boxMesh } from '../../adapters/sim/scene-gen.js';
import { canonicalJson, canonicalObject, hashing, makeHashing } from './hashing.js';
import { quantise, quantiseQuat, STEPS } from './quantise.js';
import type { SceneObject } from '../protocol/index.js';

const nodeHashing = makeHashing((t) => createHash('sha256').update(t).digest('hex'));

describe('golden vectors', () => {
  it('the committed data/golden/canonical-vectors.json is what the TypeScript implementation produces (run scripts/gen-golden.ts after a deliberate change)', () => {
    const committed = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(goldenVectors())));
  });
  it('every vector has its canonical string, and its sha256 is SHA-256 of exactly those UTF-8 bytes (what a non-TypeScript adapter diffs against)', () => {
    const committed = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as {
      vectors: Array<{ name: string; kind: string; canonical: unknown; sha256: string }>;
    };
    expect(new Set(committed.vectors.map((v) => v.kind))).toEqual(new Set(['object', 'material', 'scene', 'tx', 'geometry']));
    for (const v of committed.vectors) {
      expect(typeof v.canonical, v.name).toBe('string');
      expect(
        createHash('sha256')
          .update(Buffer.from(v.canonical as string, 'utf8'))
          .digest('hex'),
        v.name,
      ).toBe(v.sha256);
    }
  });
  it("the box geometry vector is the simulator's box mesh", () => {
    expect(hashing.geometryHash(boxGeometry.positions, boxGeometry.faces)).toBe(boxMesh(0.5).geometryHash);
  });
  it('pins the cube digest, so a silent change of the canonical form cannot pass', () => {
    expect(canonicalJson(canonicalObject(cube))).toBe(
      '{"id":"obj-cube","mat":["mat-red"],"mesh":{"b":[-10000,-10000,-10000,10000,10000,10000],"f":6,"g":"' +
        'a'.repeat(64) +
        '","v":8},"name":"Cube","p":[10000,25000,-32500],"parent":null,"r":[0,0,0,1000000],"s":[100000,100000,100000],"type":"mesh"}',
    );
  });
});

describe('quantisation', () => {
  it('rounds half up on the step grid and never yields -0', () => {
    expect(quantise(0.00005, STEPS.position)).toBe(1);
    expect(quantise(0.000049, STEPS.position)).toBe(0);
    expect(Object.is(quantise(-0.00001, STEPS.position), 0)).toBe(true);
    expect(Object.is(quantise(-0, STEPS.position), 0)).toBe(true);
  });
  it('rejects NaN and Infinity with NON_FINITE before hashing', () => {
    expect(() => quantise(Number.NaN, 1e-4)).toThrow(/NON_FINITE/);
    expect(() => quantise(Infinity, 1e-4)).toThrow(/NON_FINITE/);
    expect(() => quantiseQuat([0, 0, 0, 0])).toThrow(/NON_FINITE/);
  });
  it('folds q and -q, and scaled quaternions, to one canonical rotation', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.double({ min: 0.1, max: 1, noNaN: true }),
        ),
        fc.double({ min: 0.5, max: 4, noNaN: true }),
        ([x, y, z, w], k) => {
          const a = quantiseQuat([x, y, z, w]);
          expect(quantiseQuat([-x, -y, -z, -w])).toEqual(a);
          const b = quantiseQuat([x * k, y * k, z * k, w * k]);
          a.forEach((c, i) => expect(Math.abs(c - b[i]!)).toBeLessThanOrEqual(1));
        },
      ),
    );
  });
});

describe('hashing', () => {
  const moved = (o: SceneObject, dx: number): SceneObject => ({
    ...o,
    transform: { ...o.transform, position: [o.transform.position[0] + dx, o.transform.position[1], o.transform.position[2]] },
  });

  it('absorbs numeric drift below the quantisation step (numeric drift needs nothing)', () => {
    expect(hashing.objectHash(moved(cube, 1e-9))).toBe(hashing.objectHash(cube));
  });
  it('detects a change of one step (structural or transform drift is visible)', () => {
    expect(hashing.objectHash(moved(cube, 1e-4))).not.toBe(hashing.objectHash(cube));
  });
  it('does not depend on the order of objects in a scene', () => {
    const other = { ...cube, id: 'obj-b', name: 'B' };
    expect(hashing.sceneHash({ objects: [cube, other], materials: [] })).toBe(hashing.sceneHash({ objects: [other, cube], materials: [] }));
  });
  it('gives the same digests with Node crypto as with the pure-TypeScript SHA-256', () => {
    for (const v of goldenVectors().vectors) {
      if (v.kind === 'object') expect(nodeHashing.objectHash(v.input as SceneObject)).toBe(v.sha256);
    }
    expect(nodeHashing.sceneHash({ objects: [cube], materials: [] })).toBe(hashing.sceneHash({ objects: [cube], materials: [] }));
  });
});
