// The frame caps and the scene schema agree: an honest snapshot at the schema's object cap fits in
// one snapshot frame, and the caps the docs state are the ones the code uses.
import { describe, expect, it } from 'vitest';
import { FRAME_LIMITS, LIMITS, type SceneObject } from '../shared/protocol/index.js';
import { prng } from '../adapters/sim/scene-gen.js';

/** An object as an engine exports it: full-precision floats, long names, UUID ids, three materials, a mesh. */
function exportedObject(i: number, rnd: () => number): SceneObject {
  const f = () => (rnd() - 0.5) * 200;
  const uuid = (n: number) => `${n.toString(16).padStart(8, '0')}-e5f6-4890-abcd-ef1234567890`;
  return {
    id: uuid(i),
    name: `SM_Building_Facade_Window_Frame_Left_${i}.042`,
    type: 'mesh',
    parent: uuid(i - (i % 10)),
    transform: { position: [f(), f(), f()], rotation: [rnd(), rnd(), rnd(), rnd()], scale: [1 + rnd(), 1 + rnd(), 1 + rnd()] },
    mesh: { vertexCount: 12_345, faceCount: 6_789, geometryHash: 'f'.repeat(64), bounds: { min: [f(), f(), f()], max: [f(), f(), f()] } },
    materials: ['MI_Facade_Painted_Plaster_01', 'MI_Window_Glass_Clear_02', 'MI_Metal_Brushed_Aluminium_03'],
  };
}

describe('frame caps', () => {
  it(`a snapshot of ${LIMITS.maxObjects.toLocaleString('en')} exported objects fits the ${FRAME_LIMITS.snapshotBytes / 2 ** 20} MiB snapshot cap`, () => {
    const rnd = prng(7);
    const sample = Array.from({ length: 2_000 }, (_, i) => exportedObject(i, rnd));
    const perObject = Buffer.byteLength(JSON.stringify(sample)) / sample.length;
    expect(perObject).toBeGreaterThan(500); // the sample is not a toy
    expect(perObject * LIMITS.maxObjects).toBeLessThan(FRAME_LIMITS.snapshotBytes * 0.9);
  });
});
