import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transform } from '../protocol/index.js';
import { RANGES, transformFits, transformRangeProblem } from './ranges.js';

// Values around every edge the canonical form has: the range limits, the smallest rotation length,
// zero, and what no range holds (NaN, ±Infinity).
const edge = (max: number) =>
  fc.oneof(
    fc.double({ min: -max, max, noNaN: true }),
    fc.constantFrom(
      max,
      -max,
      max * (1 + 1e-12),
      -max * 1.5,
      0,
      -0,
      1e-200,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ),
  );
const vec = (n: number, max: number) => fc.array(edge(max), { minLength: n, maxLength: n });
const transform = fc.record(
  { position: vec(3, RANGES.position), rotation: vec(4, RANGES.quatComponent), scale: vec(3, RANGES.scale) },
  { requiredKeys: [] },
);

describe('transform ranges', () => {
  it('the live lane’s quick check says yes exactly when the labelled check finds no problem', () => {
    fc.assert(
      fc.property(transform, (generated) => {
        const t = generated as Partial<Transform>; // each array has its kind's length
        expect(transformFits(t)).toBe(transformRangeProblem(t) === null);
      }),
      { numRuns: 5000 },
    );
  });

  it('names what is wrong only when asked: a NaN, a position past its range, a zero rotation', () => {
    expect(transformFits({ position: [0, Number.NaN, 0] })).toBe(false);
    expect(transformRangeProblem({ position: [0, Number.NaN, 0] }, 'live frame 3: cube')).toBe(
      'live frame 3: cube.position[1] is not finite',
    );
    expect(transformFits({ position: [RANGES.position * 2, 0, 0] })).toBe(false);
    expect(transformFits({ rotation: [0, 0, 0, 0] })).toBe(false);
    expect(transformRangeProblem({ rotation: [0, 0, 0, 0] })).toMatch(/^transform\.rotation has length 0/);
    expect(transformFits({ position: [1, 2, 3], rotation: [0, 0, 0, 1], scale: [1, 1, 1] })).toBe(true);
  });
});
