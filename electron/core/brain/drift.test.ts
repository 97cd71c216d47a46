import { describe, expect, it } from 'vitest';
import { generateScene } from '../../../adapters/sim/scene-gen.js';
import type { Scene } from '../../../shared/protocol/index.js';
import { classifyDrift } from './drift.js';

const base = (): Scene => generateScene(12, 3);
const edited = (edit: (s: Scene) => void) => {
  const s = base();
  edit(s);
  return s;
};

describe('drift taxonomy classifier', () => {
  it('Numeric Drift: float noise below the quantisation step is numeric (nothing to do)', () => {
    const r = classifyDrift(
      base(),
      edited((s) => {
        s.objects[1]!.transform.position[0] += 1e-6;
      }),
    );
    expect(r).toEqual({
      worst: 'numeric',
      items: [{ id: 'obj_1', kind: 'object', drift: 'numeric', reason: expect.stringContaining('below the quantisation step') }],
    });
    expect(classifyDrift(base(), base())).toEqual({ worst: null, items: [] });
  });

  it.each([
    [
      'missing object',
      (s: Scene) => {
        s.objects.splice(3, 1);
      },
      'obj_3',
      'missing on the engine',
    ],
    [
      'extra object',
      (s: Scene) => {
        s.objects.push({ ...s.objects[1]!, id: 'ghost' });
      },
      'ghost',
      'extra object',
    ],
    [
      'wrong parent',
      (s: Scene) => {
        s.objects[5]!.parent = null;
      },
      'obj_5',
      'parent none, orchestrator has obj_0',
    ],
    [
      'vertex count',
      (s: Scene) => {
        s.objects[2]!.mesh = { ...s.objects[2]!.mesh!, vertexCount: 9 };
      },
      'obj_2',
      'vertex count 9',
    ],
  ])('Structural Drift: %s is structural (automatic resync)', (_l, edit, id, reason) => {
    const r = classifyDrift(base(), edited(edit));
    expect(r.worst).toBe('structural');
    expect(r.items).toEqual([expect.objectContaining({ id, drift: 'structural', reason: expect.stringContaining(reason) })]);
  });

  it.each([
    [
      'colour space',
      (s: Scene) => {
        const c = s.materials[0]!.baseColor;
        s.materials[0]!.baseColor = [c[0] ** (1 / 2.2), c[1], c[2], c[3]];
      },
      'base colour',
    ],
    [
      'units (centimetres)',
      (s: Scene) => {
        s.objects[4]!.transform.position = s.objects[4]!.transform.position.map((x) => x * 100) as [number, number, number];
      },
      'units',
    ],
    [
      'material assignment',
      (s: Scene) => {
        s.objects[1]!.materials = ['mat_x'];
      },
      'materials [mat_x]',
    ],
  ])('Semantic Drift: %s is semantic (a person decides)', (_l, edit, reason) => {
    const r = classifyDrift(base(), edited(edit));
    expect(r.worst).toBe('semantic');
    expect(r.items[0]!.reason).toContain(reason);
  });

  it('Semantic Drift: the worst class wins when an engine differs in several ways', () => {
    const r = classifyDrift(
      base(),
      edited((s) => {
        s.objects.splice(3, 1);
        s.objects[1]!.materials = [];
      }),
    );
    expect(r.worst).toBe('semantic');
    expect(r.items.map((i) => i.drift).sort()).toEqual(['semantic', 'structural']);
  });
});
