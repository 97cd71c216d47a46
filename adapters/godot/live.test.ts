// The binary live lane with real headless Godot 3 (godot3-server) and the real orchestrator
// (docs/protocol.md "Live lane", docs/adapters/godot.md): Godot declares `live` and is granted it; a
// simulator source streaming live frames moves Godot's nodes at once (what the nodes hold is read
// back in Godot), the settle's transactions commit with equal hashes everywhere, and Godot (a source
// too, routing its changes to the simulator) never streams the previewed transforms back.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import { encodeLiveFrame } from '../../shared/protocol/live-frame.js';
import { eventually, startHarness, type Harness } from '../../test/support/harness.js';
import { GodotProcess, type GodotEvent } from './testing/godot-process.js';
import { skipWithoutGodot } from './testing/require-godot.js';

const skip = skipWithoutGodot('Godot live-lane tests (adapters/godot/live.test.ts)');
type Vec3 = [number, number, number];
type Quat = [number, number, number, number];
/** Live frames Godot sent while one of its batches was unacknowledged (the tests move one node only). */
const liveWhileUnacked = (events: GodotEvent[]) => {
  let open = 0;
  let bad = 0;
  for (const e of events) {
    if (e.event === 'batch') open++;
    else if (e.event === 'ack') open--;
    else if (e.event === 'live_sent' && open > 0) bad++;
  }
  return bad;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const close = (got: number[], want: number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, digits));
};
const orchestratorHash = (h: Harness) => hashing.sceneHash(toScene(h.orch.brain.state.scene));
/** Godot as source and target, named godot, routing its changes to `targets`. */
const startGodot = (h: Harness, targets: string[]) => {
  const { token } = h.orch.tokens.issue('adapter', 'godot');
  return new GodotProcess({
    VIBESYNC_URL: h.orch.url,
    VIBESYNC_TOKEN: token,
    VIBESYNC_NAME: 'godot',
    VIBESYNC_ROLES: 'source,target',
    VIBESYNC_TARGETS: targets.join(','),
  });
};
/** The scene hash, once Godot, the orchestrator and every simulator hold it with no transaction open. */
const agreed = async (h: Harness, godot: GodotProcess, sims: SimAdapter[], what: string) => {
  let last: unknown[] = [];
  for (let i = 0; i < 100; i++) {
    const g = await godot.hash();
    last = [g, orchestratorHash(h), ...sims.map((s) => [s.sceneHash, s.scene.openTransactions])];
    if (g === orchestratorHash(h) && sims.every((s) => s.sceneHash === g && s.scene.openTransactions === 0)) return g;
    await sleep(100);
  }
  throw new Error(`${what}: Godot, orchestrator and simulators never agreed: ${JSON.stringify(last)}`);
};

describe.skipIf(skip)('Godot as a live target: live frames from a simulator source', () => {
  let h: Harness;
  let sim: SimAdapter;
  let godot: GodotProcess;
  const truth = () => orchestratorHash(h);
  const converged = (what: string) => agreed(h, godot, [sim], what);

  beforeAll(async () => {
    h = await startHarness({ logger: pino({ level: 'silent' }) });
    sim = await h.sim({ name: 'sim', roles: ['source', 'target'], live: true, objects: 12, moving: 4, seed: 11, targets: ['godot'] });
    await eventually(() => h.orch.brain.state.scene.objects.size === 12, 'simulator snapshot adopted');
    // Godot is a source too, routing to the simulator: a preview it took for its own edit would be sent back
    godot = startGodot(h, ['sim']);
    await godot.waitFor((e) => e.event === 'resync', 20_000);
    await converged('resync');
  }, 60_000);
  afterAll(async () => {
    await godot?.stop();
    await h?.stopAll();
  });

  it('declares live in its handshake and remembers the grant from welcome', () => {
    expect(godot.events.find((e) => e.event === 'welcome')).toMatchObject({ live: true });
    expect(sim.liveGranted).toBe(true);
  });

  it('follows a stream of live frames (latest wins, settles in between), ends where the source ends, and echoes nothing', async () => {
    const from = godot.events.length;
    for (let i = 0; i < 40; i++) {
      sim.streamFrame();
      await sleep(16);
    }
    await eventually(
      () => godot.events.slice(from).filter((e) => e.event === 'live_applied').length > 0,
      'live frames applied in Godot',
      10_000,
    );
    const hash = await converged('stream settled');
    expect(hash).toBe(truth());
    const after = godot.events.slice(from);
    const applied = after.filter((e) => e.event === 'live_applied') as GodotEvent[];
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.every((e) => e.moved === 4 && e.count === 4)).toBe(true);
    const numbers = applied.map((e) => e.frame as number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b)); // the orchestrator's numbering for Godot, increasing
    // the moving objects' final transforms, read from Godot's nodes, are the source's last frame
    for (const id of ['obj_0', 'obj_1', 'obj_2', 'obj_3']) {
      const read = await godot.command('read', { objectId: id });
      close((read.local as { origin: number[] }).origin, sim.scene.object(id)!.transform.position, 5);
    }
    expect(after.filter((e) => e.event === 'batch')).toEqual([]); // no echo
    expect(after.some((e) => e.event === 'tx_done' && e.outcome === 'rolled_back')).toBe(false);
    expect(sim.stats.errors).toEqual([]);
    // a settle whose tx_begin came after a newer frame keeps that frame (live_kept); it happens when a
    // settle falls inside the stream, so it is checked when it happened, never required (timing)
    for (const k of after.filter((e) => e.event === 'live_kept')) {
      expect(k.liveFrame as number).toBeLessThan(Math.max(...numbers));
      expect(k.objects as number).toBeLessThanOrEqual(4);
    }
  }, 60_000);

  it('shows a live frame at once: the node holds the frame s transform (+Y up, metres, unconverted), the settle commits with equal hashes, nothing is echoed', async () => {
    const from = godot.events.length;
    const id = 'obj_5'; // not one of the simulator's moving objects
    // numbered after the simulator's streamed frames (a source's numbers strictly increase)
    const half = 0.35;
    const transform = {
      position: [1.25, -2.5, 3.75] as [number, number, number],
      rotation: [0, Math.sin(half), 0, Math.cos(half)] as [number, number, number, number],
      scale: [1, 2, 0.5] as [number, number, number],
    };
    sim.scene.setLiveTransform(id, transform);
    sim.sendLive(1000, [{ id, ...transform }]);
    const applied = await godot.waitFor((e) => e.event === 'live_applied', 10_000, from);
    expect(applied).toMatchObject({ count: 1, moved: 1 });
    const read = await godot.command('read', { objectId: id });
    const local = read.local as { origin: number[]; quat: number[]; scale: number[] };
    close(local.origin, transform.position); // what the Spatial holds (float32)
    close(local.quat, transform.rotation);
    close(local.scale, transform.scale);
    expect((read.object as { transform: unknown }).transform).toEqual(transform); // the wire values, exactly
    const hash = await converged('settled');
    expect(h.orch.brain.state.scene.objects.get(id)!.transform).toEqual(transform);
    expect(hash).toBe(sim.sceneHash);
    // the settle comes as a transaction; Godot showed its value already, so the hashes can agree before it arrives
    await godot.waitFor((e) => e.event === 'tx_done' && e.outcome === 'committed', 10_000, from);
    const after = godot.events.slice(from);
    expect(after.filter((e) => e.event === 'batch')).toEqual([]); // no echo
    expect(after.filter((e) => e.event === 'live_refused')).toEqual([]);
  }, 30_000);

  it('skips a record for an object it does not hold and applies the others; a frame it cannot read is logged, none of it applied, nothing sent back', async () => {
    const from = godot.events.length;
    const id = 'obj_6';
    const before = (await godot.command('read', { objectId: id })).object as { transform: unknown };
    const transform = { position: [4, 5, 6] as Vec3, rotation: [0, 0, 0, 1] as Quat, scale: [3, 3, 3] as Vec3 };
    const frame = encodeLiveFrame({
      frame: 900_000,
      records: [
        { id: 'not-held-here', ...transform },
        { id, ...transform },
      ],
    });
    // cut off by one byte: breaks the layout, so not even the first record may be used
    await godot.command('binary', { bytes: [...frame.subarray(0, frame.length - 1)] });
    expect(await godot.waitFor((e) => e.event === 'live_refused', 5_000, from)).toMatchObject({
      message: expect.stringContaining('cut off'),
    });
    expect(((await godot.command('read', { objectId: id })).object as { transform: unknown }).transform).toEqual(before.transform);
    await godot.command('binary', { bytes: [...frame] });
    expect(await godot.waitFor((e) => e.event === 'live_applied', 5_000, from)).toMatchObject({ count: 2, moved: 1 });
    expect(((await godot.command('read', { objectId: id })).object as { transform: unknown }).transform).toEqual(transform);
    await sleep(300); // several scans
    const after = godot.events.slice(from);
    expect(after.filter((e) => e.event === 'batch' || e.event === 'send_failed')).toEqual([]);
  }, 30_000);
});

describe.skipIf(skip)('Godot as a live source: its moving nodes stream as live frames', () => {
  let h: Harness;
  let live: SimAdapter;
  let plain: SimAdapter;
  let godot: GodotProcess;
  const converged = (what: string) => agreed(h, godot, [live, plain], what);

  beforeAll(async () => {
    h = await startHarness({ logger: pino({ level: 'silent' }) });
    live = await h.sim({ name: 'unity', roles: ['target'], live: true, objects: 0 });
    plain = await h.sim({ name: 'blender', roles: ['target'], objects: 0 });
    godot = startGodot(h, ['unity', 'blender']);
    await godot.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 20_000);
    const from = godot.events.length;
    await godot.command('create', { objectId: 'gd-mover', name: 'Mover' });
    await godot.command('create', { objectId: 'gd-still', name: 'Still' });
    await godot.waitFor((e) => e.event === 'ack', 10_000, from); // a create goes as a JSON batch
    await converged('created');
  }, 60_000);
  afterAll(async () => {
    await godot?.stop();
    await h?.stopAll();
  });

  it('a single move goes as an acknowledged JSON mutation (a hand edit), not a live frame', async () => {
    const from = godot.events.length;
    await godot.command('move', { objectId: 'gd-mover', position: [0, 1, -2] });
    await godot.waitFor((e) => e.event === 'ack', 10_000, from);
    await converged('moved once');
    expect(godot.events.slice(from).filter((e) => e.event === 'live_sent')).toEqual([]);
  }, 30_000);

  it('a node moving on every frame goes as live frames numbered strictly upwards; the live target sees them, the other gets the settled transactions, all end with one hash, and Godot hears live_settled for its last frame', async () => {
    const from = godot.events.length;
    await godot.command('animate', { objectId: 'gd-mover', position: [0, 1, -2], velocity: [5, 0, 0], ms: 600 });
    await godot.waitFor((e) => e.event === 'animated', 10_000, from);
    await converged('animated everywhere');
    const after = godot.events.slice(from);
    const sent = after.filter((e) => e.event === 'live_sent');
    expect(sent.length).toBeGreaterThan(3); // a scan every 50 ms over 600 ms
    const numbers = sent.map((e) => e.frame as number);
    expect(numbers[0]).toBe(1); // numbered from 1 on this connection
    numbers.slice(1).forEach((n, i) => expect(n).toBeGreaterThan(numbers[i]!)); // strictly increasing
    expect(sent.every((e) => e.count === 1)).toBe(true); // the mover alone; the still node is never sent
    // the first steps of the motion went as JSON (it was not moving yet), and no live frame left before their ack
    expect(liveWhileUnacked(after)).toBe(0);
    expect(after.filter((e) => e.event === 'batch').length).toBeLessThanOrEqual(4);
    expect(live.stats.liveFrames).toBeGreaterThan(0);
    expect(plain.stats.liveFrames).toBe(0);
    for (const s of [live, plain]) expect(s.scene.object('gd-mover')!.transform.position).toEqual([3, 1, -2]);
    const last = numbers.at(-1)!;
    await godot.waitFor((e) => e.event === 'live_settled' && (e.frame as number) >= last, 10_000, from);
    expect(h.orch.brain.state.scene.objects.get('gd-mover')!.transform.position).toEqual([3, 1, -2]);
  }, 60_000);

  it('a rename goes as an acknowledged JSON batch; the node then moving goes live only after that ack (a live frame never overtakes it)', async () => {
    const from = godot.events.length;
    await godot.command('rename', { objectId: 'gd-mover', name: 'Renamed' });
    await godot.command('animate', { objectId: 'gd-mover', position: [3, 1, -2], velocity: [0, 0, 5], ms: 300 });
    await godot.waitFor((e) => e.event === 'animated', 10_000, from);
    await godot.waitFor((e) => e.event === 'ack', 10_000, from);
    await converged('renamed everywhere');
    expect(live.scene.object('gd-mover')!.name).toBe('Renamed');
    const after = godot.events.slice(from);
    expect(after.filter((e) => e.event === 'batch').length).toBeGreaterThan(0);
    expect(liveWhileUnacked(after)).toBe(0); // no live frame while the rename (or a step of the motion) is unacknowledged
    expect(after.some((e) => e.event === 'live_sent')).toBe(true);
  }, 30_000);

  it('an error naming a live frame puts what Godot believes the orchestrator holds back to before it: the next scan sends the transform again', async () => {
    const start = godot.events.length;
    await godot.command('animate', { objectId: 'gd-still', position: [0, 0, 0], velocity: [3, 3, 3], ms: 500 });
    await godot.waitFor((e) => e.event === 'animated', 10_000, start);
    await converged('still moved');
    const sent = godot.events
      .slice(start)
      .filter((e) => e.event === 'live_sent')
      .at(-1)!; // the frame that carried its last value
    const from = godot.events.length;
    // as if the orchestrator had refused that frame (a refused frame changes nothing there)
    await godot.command('message', {
      message: { type: 'error', body: { code: 'OBJECT_LOCKED', message: 'test', ref: `live:${sent.frame}`, txId: null } },
    });
    expect(await godot.waitFor((e) => e.event === 'live_refused_by_orchestrator', 5_000, from)).toMatchObject({
      frame: sent.frame,
      objects: 1,
    });
    // it no longer moves, so the value goes again as a JSON mutation, acknowledged
    await godot.waitFor((e) => e.event === 'batch', 5_000, from);
    await godot.waitFor((e) => e.event === 'ack', 5_000, from);
    await converged('sent again');
  }, 30_000);
});
