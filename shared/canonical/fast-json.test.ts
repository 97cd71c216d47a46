import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalMaterial, canonicalObject } from './hashing.js';
import { materialJson, objectJson, sortedMapJson } from './fast-json.js';
import type { Material, SceneObject } from '../protocol/index.js';

const num = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const vec3 = fc.tuple(num, num, num);
const text = fc.string({ unit: 'binary', maxLength: 12 });
const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/);

const sceneObject: fc.Arbitrary<SceneObject> = fc.record({
  id,
  name: text,
  type: fc.constantFrom('mesh', 'empty', 'light', 'camera', 'other'),
  parent: fc.option(id, { nil: null }),
  transform: fc.record({
    position: vec3,
    rotation: fc.tuple(num, num, num, fc.double({ min: 0.01, max: 1, noNaN: true })),
    scale: vec3,
  }),
  mesh: fc.option(
    fc.record({ vertexCount: fc.nat(), faceCount: fc.nat(), geometryHash: hex, bounds: fc.record({ min: vec3, max: vec3 }) }),
    { nil: null },
  ),
  materials: fc.array(id, { maxLength: 4 }),
});
const light = fc.record({
  kind: fc.constantFrom('point' as const, 'spot' as const, 'directional' as const, 'area' as const),
  color: vec3,
  intensity: num,
  range: fc.option(num, { nil: null }),
  spot: fc.option(fc.record({ inner: num, outer: num }), { nil: null }),
});
const camera = fc.record({
  projection: fc.constantFrom('perspective' as const, 'orthographic' as const),
  yfov: fc.option(num, { nil: null }),
  orthoSize: fc.option(num, { nil: null }),
  near: num,
  far: num,
});
const withKinds: fc.Arbitrary<SceneObject> = fc
  .tuple(sceneObject, fc.option(light, { nil: null }), fc.option(camera, { nil: null }))
  .map(([o, l, c]) => ({ ...o, ...(l ? { light: l } : {}), ...(c ? { camera: c } : {}) }));
const material: fc.Arbitrary<Material> = fc.record({
  id,
  name: text,
  baseColor: fc.tuple(num, num, num, num),
  metallic: num,
  roughness: num,
  textures: fc.array(
    fc.record({
      slot: text.filter((s) => s.length > 0),
      width: fc.integer({ min: 1, max: 16384 }),
      height: fc.integer({ min: 1, max: 16384 }),
      hash: hex,
    }),
    { maxLength: 4 },
  ),
});

describe('fast canonical JSON', () => {
  it('is byte-identical to the RFC 8785 library for any scene object (including escapes and astral characters)', () => {
    fc.assert(
      fc.property(sceneObject, (o) => {
        expect(objectJson(o)).toBe(canonicalJson(canonicalObject(o)));
      }),
      { numRuns: 500 },
    );
  });
  it('is byte-identical to the RFC 8785 library for objects carrying light and camera data', () => {
    fc.assert(
      fc.property(withKinds, (o) => {
        expect(objectJson(o)).toBe(canonicalJson(canonicalObject(o)));
      }),
      { numRuns: 500 },
    );
  });
  it('is byte-identical to the RFC 8785 library for any material', () => {
    fc.assert(
      fc.property(material, (m) => {
        expect(materialJson(m)).toBe(canonicalJson(canonicalMaterial(m)));
      }),
      { numRuns: 500 },
    );
  });
  it('orders map keys as RFC 8785 does (UTF-16 code units)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(text, { maxLength: 6 }), (keys) => {
        const entries = keys.map((k, i): [string, string] => [k, String(i)]);
        const expected = canonicalJson(Object.fromEntries(keys.map((k, i) => [k, i])));
        expect(sortedMapJson(entries)).toBe(expected);
      }),
    );
  });
});
