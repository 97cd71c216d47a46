// Large frames are decoded off the event loop (electron/core/offload): strict JSON, the schema,
// range and structure checks and every hash run in a worker thread, and the brain sees only the
// hashes and the few subjects that differ. What a peer sees must not change: the same adoption,
// refusals, drift and resync as an inline frame, in the order the peer sent its frames.
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../shared/canonical/index.js';
import type { Scene } from '../shared/protocol/index.js';
import { generateScene } from '../adapters/sim/scene-gen.js';
import { toScene } from '../electron/core/brain/scene-model.js';
import { eventually, startHarness, type Harness } from './support/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stopAll();
  h = null;
});

const brainScene = (hh: Harness) => toScene(hh.orch.brain.state.scene);
const brainHash = (hh: Harness) => hashing.sceneHash(brainScene(hh));

/** A copy of `scene` with one object moved 5 m and one leaf object gone: structural drift. */
function contradict(scene: Scene): Scene {
  const objects = scene.objects
    .filter((o) => o.id !== 'obj_2')
    .map((o) =>
      o.id === 'obj_1'
        ? { ...o, transform: { ...o.transform, position: [o.transform.position[0] + 5, 0, 0] as [number, number, number] } }
        : o,
    );
  return { objects, materials: scene.materials };
}

describe('every frame through the frame worker (offloadBytes 1): peers see what they saw inline', () => {
  it('adopts, resyncs, refuses broken or mis-hashed snapshots, and answers a contradicting one with drift and resync', async () => {
    h = await startHarness({ offloadBytes: 1 });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 40, seed: 3 });
    await eventually(() => h!.orch.brain.state.scene.objects.size === 40, 'the initial scene adopted through the worker');
    await h.orch.brain.whenDurable();
    expect(brainHash(h)).toBe(source.sceneHash);

    const target = await h.sim({ name: 'unity', roles: ['target'] });
    await target.until(() => target.sceneHash === brainHash(h!), 'the target resynced to the adopted scene');

    // A contradicting snapshot from the target: drift is classified on the subjects that differ, and the target resynced.
    const before = brainHash(h);
    const bad = contradict(brainScene(h));
    const contradicted = () =>
      target.received.find((m) => m.type === 'resync' && (m.body as { reason: string }).reason.includes('contradicts'));
    target.send('snapshot', { reason: 'initial', scene: bad, hash: hashing.sceneHash(bad) });
    await target.until(() => contradicted() !== undefined, 'a resync (Brain > Limb)');
    expect(contradicted()!.body).toMatchObject({ hash: before });
    expect(target.sceneHash).toBe(before);
    const audit = h.orch.control
      .state({ name: 'test', role: 'viewer' })
      .audit.map((a) => a.summary)
      .join('\n');
    expect(audit).toMatch(/structural drift on unity: 2 subject\(s\) differ/);

    // A cycle: SCHEMA_VIOLATION naming the message, nothing changes.
    const cyc: Scene = {
      objects: [
        { ...bad.objects[0]!, id: 'cube', parent: 'lamp' },
        { ...bad.objects[0]!, id: 'lamp', parent: 'cube' },
      ],
      materials: bad.materials,
    };
    const cycId = source.send('snapshot', { reason: 'requested', scene: cyc, hash: hashing.sceneHash(cyc) });
    await source.until(() => source.stats.errors.some((e) => e.ref === cycId), 'the cycle refused');
    expect(source.stats.errors.find((e) => e.ref === cycId)?.code).toBe('SCHEMA_VIOLATION');

    // A snapshot whose hash is not its own scene's: HASH_MISMATCH, then a later frame's error, in order.
    const wrongId = source.send('snapshot', { reason: 'initial', scene: bad, hash: 'ab'.repeat(32) });
    source.sendRaw(
      JSON.stringify({ v: 1, id: 'late-1', session: source.session, gen: source.generation, ts: 0, type: 'heartbeat', body: {} }),
    );
    await source.until(() => source.stats.errors.some((e) => e.ref === 'late-1'), 'the later frame answered');
    const refs = source.stats.errors.map((e) => e.ref);
    expect(source.stats.errors.find((e) => e.ref === wrongId)?.code).toBe('HASH_MISMATCH');
    expect(refs.indexOf(wrongId)).toBeLessThan(refs.indexOf('late-1'));
    expect(brainHash(h)).toBe(before);
  });
});

describe('a snapshot adopted through the worker comes before the frames sent after it', () => {
  it('a requested snapshot with a new object, then at once a move of that object: the move is acked, not UNKNOWN_OBJECT', async () => {
    h = await startHarness({ offloadBytes: 1 });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 20, seed: 3 });
    await eventually(() => h!.orch.brain.state.scene.objects.size === 20, 'the initial scene adopted');
    await h.orch.brain.whenDurable();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    await target.until(() => target.sceneHash === brainHash(h!), 'the target in sync');
    // The engine gains an object the orchestrator has not seen; its answer to snapshot_request carries it.
    const own = brainScene(h);
    const fresh = { ...own.objects.find((o) => o.parent === null)!, id: 'fresh', name: 'Fresh' };
    source.scene.replace({ objects: [...own.objects, fresh], materials: own.materials });
    let move: string | null = null;
    source.on('message', (m: { type: string }) => {
      // The simulator has just sent its requested snapshot; the move goes right behind it.
      if (m.type === 'snapshot_request' && move === null)
        move = source.send('mutation', {
          mutation: { mid: 'm-fresh', targets: ['unity'], op: 'set_transform', objectId: 'fresh', transform: { position: [1, 2, 3] } },
        } as never);
    });
    source.sendRaw(
      JSON.stringify({
        v: 1,
        id: 'nan-1',
        session: source.session,
        gen: source.generation,
        ts: 0,
        type: 'heartbeat',
        body: { seq: 1 },
      }).replace('"seq":1', '"seq":NaN'),
    );
    await source.until(
      () => move !== null && source.received.some((m) => m.type === 'ack' && (m.body as { ref?: string }).ref === move),
      'the move acked',
    );
    expect(source.stats.errors.filter((e) => e.ref === move)).toEqual([]);
    expect(h.orch.brain.state.scene.objects.get('fresh')?.transform.position).toEqual([1, 2, 3]);
  });
});

describe('a large contradicting snapshot does not hold the event loop', () => {
  it('/healthz answers while 5,000 objects are decoded and hashed in the worker; the frame behind it reaches the brain after it', async () => {
    h = await startHarness({ offloadBytes: 64 * 1024 });
    await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 30, seed: 3 });
    await eventually(() => h!.orch.brain.state.sceneAdopted, 'the initial scene adopted');
    await h.orch.brain.whenDurable();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    await target.until(() => target.sceneHash === brainHash(h!), 'the target in sync');

    // The orchestrator's scene plus 5,000 extra objects: structural drift (the engine is resynced), not semantic.
    const own = brainScene(h);
    const extra = generateScene(5_000, 9).objects.map((o) => ({ ...o, id: `x${o.id}`, parent: o.parent && `x${o.parent}`, materials: [] }));
    const big: Scene = { objects: [...own.objects, ...extra], materials: own.materials };
    expect(JSON.stringify(big).length).toBeGreaterThan(1024 * 1024);
    // Right behind it, a small snapshot (decoded inline) with one extra object.
    const small: Scene = { objects: [...own.objects, extra[0]!], materials: own.materials };
    const events: string[] = [];
    target.on('message', (m: { type: string }) => {
      if (m.type === 'resync') events.push('resync');
    });
    target.send('snapshot', { reason: 'initial', scene: big, hash: hashing.sceneHash(big) });
    target.send('snapshot', { reason: 'initial', scene: small, hash: hashing.sceneHash(small) });
    const status = await new Promise<number>((resolve, reject) => {
      get(`${h!.orch.url.replace(/^ws/, 'http').replace(/\/adapter$/, '')}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    events.push('healthz');
    await target.until(() => events.filter((e) => e === 'resync').length === 2, 'both resyncs', 90_000);
    expect(events).toEqual(['healthz', 'resync', 'resync']);
    expect(target.sceneHash).toBe(brainHash(h));
    const drifts = h.orch.control
      .state({ name: 'test', role: 'viewer' })
      .audit.filter((a) => a.summary.startsWith('structural drift on unity'))
      .reverse()
      .map((a) => a.summary);
    expect(drifts).toEqual([expect.stringContaining('5000 subject(s) differ'), expect.stringContaining('1 subject(s) differ')]);
  }, 120_000);
});
