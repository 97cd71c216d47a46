import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateScene } from '../../../adapters/sim/scene-gen.js';
import type { Mutation } from '../../../shared/protocol/index.js';
import { commitPatch, DEFAULT_LIMITS, descendants, fromScene, planMutations, toScene } from './scene-model.js';

const base = () => fromScene(generateScene(6, 3), 'blender');
const T = ['unity'];
const empty = (id: string, parent: string | null = null) => ({
  id,
  name: id,
  type: 'empty' as const,
  parent,
  materials: [],
  mesh: null,
  transform: {
    position: [0, 0, 0] as [number, number, number],
    rotation: [0, 0, 0, 1] as [number, number, number, number],
    scale: [1, 1, 1] as [number, number, number],
  },
});

describe('planMutations', () => {
  it('is pure: the scene is unchanged until the patch is committed', () => {
    const s = base();
    const before = structuredClone(toScene(s));
    const patch = planMutations(s, [
      { mid: 'a', targets: T, op: 'set_transform', objectId: 'obj_0', transform: { position: [1, 2, 3] } },
      { mid: 'b', targets: T, op: 'create', object: empty('new_1', 'obj_0') },
      { mid: 'c', targets: T, op: 'set_props', objectId: 'new_1', props: { name: 'renamed' } },
    ]);
    expect(toScene(s)).toEqual(before);
    expect(patch.steps.map((st) => st.id)).toEqual(['obj_0', 'new_1', 'new_1']);
    commitPatch(s, patch, 'blender');
    expect(s.objects.get('obj_0')!.transform.position).toEqual([1, 2, 3]);
    expect(s.objects.get('new_1')!.name).toBe('renamed');
    expect(descendants(s, 'obj_0')).toContain('new_1');
  });

  it.each<[string, Mutation[], string]>([
    [
      'unknown object',
      [{ mid: 'a', targets: T, op: 'set_transform', objectId: 'ghost', transform: { position: [0, 0, 0] } }],
      'UNKNOWN_OBJECT',
    ],
    ['unknown parent', [{ mid: 'a', targets: T, op: 'create', object: empty('x', 'ghost') }], 'UNKNOWN_OBJECT'],
    ['unknown material', [{ mid: 'a', targets: T, op: 'set_material', materialId: 'ghost', changes: { metallic: 1 } }], 'UNKNOWN_OBJECT'],
    ['duplicate create', [{ mid: 'a', targets: T, op: 'create', object: empty('obj_1') }], 'SCHEMA_VIOLATION'],
    [
      'parent cycle',
      [
        { mid: 'a', targets: T, op: 'create', object: empty('p') },
        { mid: 'b', targets: T, op: 'create', object: empty('c', 'p') },
        { mid: 'c', targets: T, op: 'set_props', objectId: 'p', props: { parent: 'c' } },
      ],
      'SCHEMA_VIOLATION',
    ],
    [
      'delete with children',
      [
        { mid: 'a', targets: T, op: 'create', object: empty('kid', 'obj_2') },
        { mid: 'b', targets: T, op: 'delete', objectId: 'obj_2' },
      ],
      'SCHEMA_VIOLATION',
    ],
    [
      'too many vertices',
      [
        {
          mid: 'a',
          targets: T,
          op: 'set_props',
          objectId: 'obj_0',
          props: {
            mesh: {
              vertexCount: DEFAULT_LIMITS.maxVertices + 1,
              faceCount: 1,
              geometryHash: 'a'.repeat(64),
              bounds: { min: [0, 0, 0], max: [1, 1, 1] },
            },
          },
        },
      ],
      'RESOURCE_LIMIT',
    ],
    [
      'texture too large',
      [
        {
          mid: 'a',
          targets: T,
          op: 'upsert_material',
          material: {
            id: 'big',
            name: 'big',
            baseColor: [1, 1, 1, 1],
            metallic: 0,
            roughness: 1,
            textures: [{ slot: 'albedo', width: 16384, height: 16, hash: 'b'.repeat(64) }],
          },
        },
      ],
      'RESOURCE_LIMIT',
    ],
  ])('refuses %s with a typed error and no change', (_label, mutations, code) => {
    const s = base();
    const before = structuredClone(toScene(s));
    expect(() => planMutations(s, mutations)).toThrow(expect.objectContaining({ code }));
    expect(toScene(s)).toEqual(before);
  });

  it('limits are configurable', () => {
    const s = base();
    const m: Mutation = {
      mid: 'a',
      targets: T,
      op: 'set_props',
      objectId: 'obj_0',
      props: { mesh: { vertexCount: 2000, faceCount: 1, geometryHash: 'a'.repeat(64), bounds: { min: [0, 0, 0], max: [1, 1, 1] } } },
    };
    expect(() => planMutations(s, [m], { ...DEFAULT_LIMITS, maxVertices: 1000 })).toThrow(
      expect.objectContaining({ code: 'RESOURCE_LIMIT' }),
    );
    expect(() => planMutations(s, [m])).not.toThrow();
  });

  it('property: committing a plan step by step equals committing it whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.double({ min: -100, max: 100, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        (moves) => {
          const ms: Mutation[] = moves.map(([i, x], k) => ({
            mid: `m${k}`,
            targets: T,
            op: 'set_transform',
            objectId: `obj_${i}`,
            transform: { position: [x, 0, 0] },
          }));
          const whole = base();
          commitPatch(whole, planMutations(whole, ms), 'blender');
          const stepwise = base();
          for (const m of ms) commitPatch(stepwise, planMutations(stepwise, [m]), 'blender');
          expect(toScene(whole)).toEqual(toScene(stepwise));
        },
      ),
    );
  });
});
