import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, type Mutation } from '../../../shared/protocol/index.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
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

describe('a lagging target', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stopAll();
  });

  it('is never sent a tx_begin over the schema cap of mutations, even when its backlog does not fold (renames)', async () => {
    h = await startHarness({ rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } });
    const target = await h.sim({ name: 'unity', roles: ['target'], objects: 2000, geometry: false });
    const source = await h.sim({ name: 'blender', roles: ['source'], objects: 2000, geometry: false, targets: ['unity'] });
    await target.waitFor('resync');
    target.send('busy', { reason: 'loading', expectedMs: 60_000 });
    await eventually(
      () => h.orch.control.state({ name: 'v', role: 'viewer' }).engines.find((e) => e.name === 'unity')?.state === 'BUSY',
      'BUSY',
    );
    // three renames of each of 2,000 objects: 6,000 mutations that do not fold, queued for one target
    for (let round = 0; round < 3; round++) {
      const mutations = Array.from({ length: 2000 }, (_, i) => rename(`r${round}-${i}`, `obj_${i}`, `n${round}`));
      const ref = source.send('batch', { mutations: mutations.map((m) => ({ ...m, targets: ['unity'] })) });
      await source.waitFor('ack', (m) => m.body.ref === ref);
    }
    target.send('ready', {});
    await target.until(() => target.stats.committed >= 2, 'the backlog committed', 20_000);
    const begins = target.received.filter((m) => m.type === 'tx_begin');
    expect(begins.map((m) => m.body.mutations.length).every((n: number) => n <= LIMITS.maxBatch)).toBe(true);
    expect(begins.reduce((sum: number, m) => sum + m.body.mutations.length, 0)).toBe(6000);
    expect(target.stats.errors).toEqual([]);
    expect(target.scene.object('obj_1999')!.name).toBe('n2');
  }, 30_000);
});
