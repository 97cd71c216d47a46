// The live lane over real sockets (docs/protocol.md "Live lane"): streamed transforms reach live
// targets at once as binary frames, become durable at the settle (one hash-checked transaction to
// every target), and bad frames are refused with a typed error that changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../../../shared/canonical/index.js';
import type { DurableLog } from '../wal/types.js';
import { toScene } from './scene-model.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import type { SimAdapter } from '../../../adapters/sim/sim-adapter.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const brainHash = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
const identity = { rotation: [0, 0, 0, 1] as [number, number, number, number], scale: [1, 1, 1] as [number, number, number] };

/** A live source and the targets named, connected, the source's scene adopted and every target resynced to it. */
async function livePair(
  opts: { objects?: number; moving?: number; targets?: Array<{ name: string; live: boolean; scenario?: string }> } = {},
) {
  const targets: SimAdapter[] = [];
  for (const t of opts.targets ?? [{ name: 'unity', live: true }])
    targets.push(await h.sim({ name: t.name, roles: ['target'], live: t.live, ...(t.scenario && { scenario: t.scenario }) }));
  const source = await h.sim({
    name: 'blender',
    roles: ['source'],
    live: true,
    objects: opts.objects ?? 20,
    moving: opts.moving ?? 10,
    targets: targets.map((t) => t.name),
  });
  await eventually(() => h.orch.brain.state.sceneAdopted, 'initial snapshot adopted');
  for (const t of targets) {
    await t.waitFor('resync');
    expect(t.sceneHash).toBe(source.sceneHash);
  }
  expect(source.liveGranted).toBe(true);
  return { source, targets };
}

/** Every target has no transaction open or queued (the last settle is committed). */
const quiet = () => [...h.orch.brain.sessions.values()].every((s) => !s.has('target') || (s.inflight === null && s.queue.length === 0));

describe('live lane', () => {
  it('a stream reaches a live target as live frames before anything is durable, then settles: source, orchestrator and target hash equal', async () => {
    h = await startHarness();
    const { source, targets } = await livePair();
    const [target] = targets as [SimAdapter];
    const seq0 = h.orch.brain.seq;
    const first = source.streamFrame();
    await target.until(() => target.stats.liveFrames === 1, 'first live frame applied');
    // What the target shows is the source's value, though nothing was written or acknowledged yet.
    const moved = (first[0] as { objectId: string }).objectId;
    expect(target.scene.object(moved)!.transform).toEqual(source.scene.object(moved)!.transform);
    expect(h.orch.brain.seq).toBe(seq0);
    expect(source.received.some((m) => m.type === 'ack' || m.type === 'live_settled')).toBe(false);

    for (let f = 0; f < 9; f++) source.streamFrame();
    await source.until(() => source.stats.settledFrame === 10, 'live_settled for the last frame');
    await eventually(() => target.committed >= 1 && quiet(), 'settle committed on the target');
    expect(source.stats.acked).toBe(0); // the live lane is acknowledged by live_settled alone
    expect(target.stats.rolledBack).toBe(0);
    expect(target.sceneHash).toBe(source.sceneHash);
    expect(brainHash()).toBe(source.sceneHash);
    expect(h.orch.brain.liveLane.unsettled).toBe(0);
    const settled = source.received.filter((m) => m.type === 'live_settled');
    expect(settled.at(-1)!.body).toMatchObject({ frame: 10, count: 10 });
    expect(settled.at(-1)!.body.seq).toBeGreaterThan(seq0);
  });

  it('a target without the live capability gets no binary frame, only the settled transaction, and ends equal', async () => {
    h = await startHarness();
    const { source, targets } = await livePair({
      targets: [
        { name: 'unity', live: true },
        { name: 'godot', live: false },
      ],
    });
    const [live, plain] = targets as [SimAdapter, SimAdapter];
    // Blob chunks (kind 1) still reach it; a live frame (kind 2) never does.
    const liveAtPlain: number[] = [];
    (plain as unknown as { ws: { on: (e: string, f: (d: Buffer, b: boolean) => void) => void } }).ws.on('message', (d, isBinary) => {
      if (isBinary && d[0] === 2) liveAtPlain.push(d.length);
    });
    for (let f = 0; f < 5; f++) source.streamFrame();
    await source.until(() => source.stats.settledFrame === 5, 'settled');
    await eventually(() => plain.committed >= 1 && live.committed >= 1 && quiet(), 'both committed');
    expect(live.stats.liveFrames).toBeGreaterThan(0);
    expect(plain.stats.liveFrames).toBe(0);
    expect(liveAtPlain).toEqual([]);
    expect(plain.liveGranted).toBe(false);
    expect(plain.sceneHash).toBe(source.sceneHash);
    expect(live.sceneHash).toBe(source.sceneHash);
    expect(brainHash()).toBe(source.sceneHash);
  });

  it('a settle never moves a live target back: a frame sent while the settle was being written stays after its commit', async () => {
    h = await startHarness({ config: { liveSettleMs: 60_000, liveIdleMs: 60_000 } });
    const { source, targets } = await livePair();
    const [target] = targets as [SimAdapter];
    // Hold the WAL write of the settle open, as a slow disk would.
    const log = h.orch.brain.log;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.orch.brain.useLog({
      append: async (r) => (await gate, log.append(r)),
      appendMany: async (r) => (await gate, log.appendMany(r)),
      snapshot: (st, seq) => log.snapshot(st, seq),
      get lastSeq() {
        return log.lastSeq;
      },
      close: () => log.close(),
    });
    source.sendLive(1, [{ id: 'obj_0', position: [1, 1, 1], ...identity }]);
    await target.until(() => target.stats.liveFrames === 1, 'frame 1 shown');
    const settling = h.orch.brain.liveLane.settle('blender'); // writes [1, 1, 1]
    source.sendLive(2, [{ id: 'obj_0', position: [2, 2, 2], ...identity }]);
    await target.until(() => target.stats.liveFrames === 2, 'frame 2 shown before the settle is durable');
    release();
    await settling;
    const begin = await target.waitFor('tx_begin');
    expect(begin.body.liveFrame).toBe(1); // the settle's values are those of the target's frame 1
    expect(begin.body.mutations[0]).toMatchObject({ objectId: 'obj_0', transform: { position: [1, 1, 1] } });
    await target.until(() => target.committed === 1, 'settle committed');
    expect(target.stats.rolledBack).toBe(0);
    expect(target.scene.object('obj_0')!.transform.position).toEqual([2, 2, 2]); // not moved back to [1, 1, 1]
    await h.orch.brain.liveLane.settle('blender'); // the next settle makes [2, 2, 2] durable
    await eventually(() => target.committed === 2 && quiet(), 'second settle committed');
    expect(hashing.sceneHash(toScene(h.orch.brain.state.scene))).toBe(target.sceneHash);
    expect(h.orch.brain.state.scene.objects.get('obj_0')!.transform.position).toEqual([2, 2, 2]);
  });

  it('a settle of many objects reaches a target in slices of liveSettleSlice objects, each hash-checked', async () => {
    h = await startHarness({ config: { liveSettleSlice: 7 } });
    const { source, targets } = await livePair({ objects: 20, moving: 20 });
    const [target] = targets as [SimAdapter];
    source.streamFrame();
    await source.until(() => source.stats.settledFrame === 1, 'settled');
    await eventually(() => target.committed === 3 && quiet(), 'three slices committed');
    const sizes = target.received.filter((m) => m.type === 'tx_begin').map((m) => (m.type === 'tx_begin' ? m.body.mutations.length : 0));
    expect(sizes).toEqual([7, 7, 6]);
    expect(target.sceneHash).toBe(source.sceneHash);
    expect(brainHash()).toBe(source.sceneHash);
  });

  describe('a bad frame gets its typed error and changes nothing', () => {
    const cases: Array<[string, (s: SimAdapter) => void, string]> = [
      ['an unknown object id', (s) => s.sendLive(1, [{ id: 'obj_nowhere', position: [1, 2, 3], ...identity }]), 'UNKNOWN_OBJECT'],
      ['a NaN position', (s) => s.sendLive(1, [{ id: 'obj_0', position: [Number.NaN, 0, 0], ...identity }]), 'NON_FINITE'],
      [
        'a zero quaternion',
        (s) => s.sendLive(1, [{ id: 'obj_0', position: [0, 0, 0], rotation: [0, 0, 0, 0], scale: [1, 1, 1] }]),
        'NON_FINITE',
      ],
      [
        'a position the canonical form cannot hold',
        (s) => s.sendLive(1, [{ id: 'obj_0', position: [1e13, 0, 0], ...identity }]),
        'NON_FINITE',
      ],
    ];
    it.each(cases)('%s', async (_what, send, code) => {
      h = await startHarness();
      const { source, targets } = await livePair();
      const before = h.orch.brain.exportState();
      const seq = h.orch.brain.seq;
      send(source);
      const err = await source.waitFor('error', (m) => m.body.ref === 'live:1');
      expect(err.body.code).toBe(code);
      if (code === 'NON_FINITE') await source.waitFor('snapshot_request'); // Numerical Error: re-fetch the source
      expect(h.orch.brain.exportState()).toEqual(before);
      expect(h.orch.brain.seq).toBe(seq);
      expect(h.orch.brain.liveLane.unsettled).toBe(0);
      expect(targets[0]!.stats.liveFrames).toBe(0);
      expect(source.closed).toBeNull();
    });

    it('from a target-only engine: FORBIDDEN_ROLE', async () => {
      h = await startHarness();
      const { source, targets } = await livePair({
        targets: [
          { name: 'unity', live: true },
          { name: 'godot', live: true },
        ],
      });
      const before = brainHash();
      targets[1]!.sendLive(1, [{ id: 'obj_0', position: [7, 7, 7], ...identity }]);
      const err = await targets[1]!.waitFor('error', (m) => m.body.ref === 'live:1');
      expect(err.body.code).toBe('FORBIDDEN_ROLE');
      expect(brainHash()).toBe(before);
      expect(targets[0]!.stats.liveFrames).toBe(0);
      expect(targets[0]!.sceneHash).toBe(source.sceneHash);
    });

    it('an object on a DIRTY branch (not writable until its source re-snapshots): BRANCH_DIRTY', async () => {
      h = await startHarness();
      const target = await h.sim({ name: 'unity', roles: ['target'], live: true, scenario: 'hash-mismatch' });
      const source = await h.sim({ name: 'blender', roles: ['source'], live: true, targets: ['unity'] });
      await target.waitFor('resync');
      source.sendSnapshot = () => ''; // hold the re-snapshot back: the branch stays DIRTY
      source.streamFrame();
      await source.until(() => source.stats.settledFrame === 1, 'settled');
      await target.until(() => target.stats.rolledBack === 1, 'the settle rolled back (hash mismatch)');
      await source.waitFor('snapshot_request');
      const before = h.orch.brain.exportState();
      const liveFrames = target.stats.liveFrames;
      source.sendLive(2, [{ id: 'obj_0', position: [9, 9, 9], ...identity }]);
      const err = await source.waitFor('error', (m) => m.body.ref === 'live:2');
      expect(err.body.code).toBe('BRANCH_DIRTY');
      expect(h.orch.brain.exportState()).toEqual(before);
      expect(target.stats.liveFrames).toBe(liveFrames);
    });

    it('a frame number that does not increase: SCHEMA_VIOLATION, dropped', async () => {
      h = await startHarness();
      const { source, targets } = await livePair();
      source.sendLive(5, [{ id: 'obj_0', position: [1, 1, 1], ...identity }]);
      await targets[0]!.until(() => targets[0]!.stats.liveFrames === 1, 'frame 5 forwarded');
      source.sendLive(5, [{ id: 'obj_0', position: [2, 2, 2], ...identity }]);
      const err = await source.waitFor('error', (m) => m.body.ref === 'live:5');
      expect(err.body.code).toBe('SCHEMA_VIOLATION');
      expect(err.body.message).toContain('not after');
      expect(targets[0]!.scene.object('obj_0')!.transform.position).toEqual([1, 1, 1]);
    });

    it.each([
      ['truncated', (b: Uint8Array) => b.subarray(0, b.length - 3)],
      ['garbled (a count larger than the records)', (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === 8 ? 9 : x))],
    ])('a %s frame is a Contract Violation: SCHEMA_VIOLATION, PANIC, closed 4001, the scene unchanged', async (_w, mangle) => {
      h = await startHarness();
      const { source, targets } = await livePair();
      const before = brainHash();
      const { encodeLiveFrame } = await import('../../../shared/protocol/index.js');
      source.sendBinary(mangle(encodeLiveFrame({ frame: 1, records: [{ id: 'obj_0', position: [3, 3, 3], ...identity }] })));
      const err = await source.waitFor('error', (m) => m.body.code === 'SCHEMA_VIOLATION');
      expect(err.body.message).toMatch(/^live frame: /);
      await source.until(() => source.closed !== null, 'closed');
      expect(source.closed!.code).toBe(4001);
      expect(brainHash()).toBe(before);
      expect(targets[0]!.stats.liveFrames).toBe(0);
    });
  });

  it('a slow target: unsent bytes stay under the bound, one pending value per object, and it ends at the latest values', async () => {
    const bound = 64 * 1024;
    h = await startHarness({ config: { liveMaxBufferedBytes: bound } });
    const objects = 1000;
    const { source, targets } = await livePair({ objects, moving: objects });
    const [target] = targets as [SimAdapter];
    const sock = (target as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
    sock.pause(); // the engine stops reading (a long import, a stalled frame)
    const peer = h.orch.brain.sessions.get('unity')!.peer;
    const frameBytes = 12 + objects * (2 + 'obj_999'.length + 80);
    let maxBuffered = 0;
    let maxPending = 0;
    for (let f = 0; f < 200; f++) {
      source.streamFrame();
      await new Promise((r) => setTimeout(r, 2));
      maxBuffered = Math.max(maxBuffered, peer.bufferedAmount ?? 0);
      maxPending = Math.max(maxPending, h.orch.brain.liveLane.pendingFor(h.orch.brain.sessions.get('unity')!));
    }
    // 200 frames of ≈ 90 KB were offered (≈ 18 MB); the orchestrator held back all but the bound.
    expect(maxBuffered).toBeLessThanOrEqual(bound + 2 * frameBytes + 512 * 1024); // + settle transactions (JSON, unbounded by the lane)
    expect(maxPending).toBeLessThanOrEqual(objects);
    expect(maxPending).toBeGreaterThan(0);
    sock.resume();
    await source.until(() => source.stats.settledFrame === 200, 'settled', 20_000);
    await eventually(() => quiet() && target.sceneHash === source.sceneHash, 'target caught up with the latest values', 20_000);
    expect(brainHash()).toBe(source.sceneHash);
    for (const id of ['obj_0', 'obj_500', 'obj_999'])
      expect(target.scene.object(id)!.transform).toEqual(source.scene.object(id)!.transform);
  });

  it('settled values survive a restart (durable); live values not yet settled do not (they were never acknowledged)', async () => {
    h = await startHarness({ config: { liveSettleMs: 60_000, liveIdleMs: 60_000 } });
    const { source } = await livePair();
    // Settled: written before live_settled was sent.
    source.sendLive(1, [{ id: 'obj_0', position: [1, 2, 3], ...identity }]);
    await eventually(() => h.orch.brain.liveLane.unsettled === 1, 'in the overlay');
    await h.orch.brain.liveLane.settle('blender');
    await source.until(() => source.stats.settledFrame === 1, 'live_settled');
    // Not settled: the orchestrator crashes (its log takes no more writes) before the next settle.
    source.sendLive(2, [{ id: 'obj_1', position: [4, 5, 6], ...identity }]);
    await eventually(() => h.orch.brain.liveLane.unsettled === 1, 'frame 2 in the overlay');
    const before1 = h.orch.brain.state.scene.objects.get('obj_1')!.transform.position;
    await h.orch.brain.log.close();
    const dead: DurableLog = {
      append: () => Promise.reject(new Error('crashed')),
      appendMany: () => Promise.reject(new Error('crashed')),
      snapshot: () => Promise.reject(new Error('crashed')),
      lastSeq: 0,
      close: async () => {},
    };
    const crashed = h.orch.brain.useLog(dead);
    for (const s of h.sims) s.crash();
    await h.orch.close();
    await h.restart();
    await crashed.close(); // the crashed process's descriptor, not left to the garbage collector
    const scene = h.orch.brain.state.scene;
    expect(scene.objects.get('obj_0')!.transform.position).toEqual([1, 2, 3]);
    expect(scene.objects.get('obj_1')!.transform.position).toEqual(before1);
    expect(h.orch.brain.mode).toBe('RUNNING');
  });
});
