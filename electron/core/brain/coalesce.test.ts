import { describe, expect, it } from 'vitest';
import type { Mutation } from '../../../shared/protocol/index.js';
import { foldTransforms } from './coalesce.js';

const move = (mid: string, objectId: string, transform: Record<string, number[]>): Mutation =>
  ({ mid, targets: ['unity'], op: 'set_transform', objectId, transform }) as Mutation;
const rename = (mid: string, objectId: string, name: string): Mutation =>
  ({ mid, targets: ['unity'], op: 'set_props', objectId, props: { name } }) as Mutation;
const all = () => true;

describe('folding a lagging stream', () => {
  it('folds three frames of two objects into one transform each, in the first slot, with the latest mid and merged fields', () => {
    const wire = foldTransforms(
      [
        move('f1-a', 'a', { position: [1, 0, 0] }),
        move('f1-b', 'b', { position: [0, 1, 0] }),
        move('f2-a', 'a', { scale: [2, 2, 2] }),
        move('f2-b', 'b', { position: [0, 2, 0] }),
        move('f3-a', 'a', { position: [3, 0, 0] }),
      ],
      all,
    );
    expect(wire).toEqual([move('f3-a', 'a', { position: [3, 0, 0], scale: [2, 2, 2] }), move('f2-b', 'b', { position: [0, 2, 0] })]);
  });

  it('never folds across another mutation of the same object, and leaves other operations alone', () => {
    const input = [
      move('1', 'a', { position: [1, 0, 0] }),
      rename('2', 'a', 'A'),
      move('3', 'a', { position: [2, 0, 0] }),
      move('4', 'a', { position: [3, 0, 0] }),
    ];
    expect(foldTransforms(input, all)).toEqual([input[0], input[1], move('4', 'a', { position: [3, 0, 0] })]);
  });

  it('never folds an AI edit (a mutation with a pid) nor folds into one', () => {
    const input = [
      move('1', 'a', { position: [1, 0, 0] }),
      move('ai', 'a', { position: [9, 9, 9] }),
      move('3', 'a', { position: [2, 0, 0] }),
    ];
    expect(foldTransforms(input, (i) => i !== 1)).toEqual(input);
  });
});
