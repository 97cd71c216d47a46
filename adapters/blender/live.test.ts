// The binary live lane with real Blender and the real orchestrator (docs/protocol.md "Live lane"):
// Blender playing back keyed animation streams live frames that a live simulator shows at once, a
// simulator without the lane gets the settled values as transactions, everything ends with one hash,
// and Blender hears live_settled; a live frame from another engine moves an object in Blender at
// once, is not streamed back, and its settle leaves Blender where the frame put it.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import { eventually, startHarness, type Harness } from '../../test/support/harness.js';
import { startBlender } from './testing/blender-pair.js';
import type { BlenderProcess } from './testing/blender-process.js';
import { skipWithoutBlender } from './testing/require-blender.js';

const skip = skipWithoutBlender('Blender live-lane tests (live.test.ts)');

/** Mover: location x = frame − 1, keyed linear at frames 1 and 61; Still: not animated. */
const BUILD = [
  'scene = bpy.context.scene',
  'mover = bpy.data.objects.new("Mover", None)',
  'scene.collection.objects.link(mover)',
  'for f, x in ((1, 0.0), (61, 60.0)):',
  '    mover.location = (x, 0.0, 0.0)',
  '    mover.keyframe_insert("location", frame=f)',
  'for fc in mover.animation_data.action.fcurves:',
  '    for k in fc.keyframe_points:',
  '        k.interpolation = "LINEAR"',
  'still = bpy.data.objects.new("Still", None)',
  'scene.collection.objects.link(still)',
  'still.location = (3.0, 3.0, 0.0)',
  'scene.frame_set(1)',
].join('\n');
const HASH = `__import__("vibesync_blender.core.canonical", fromlist=["x"]).scene_hash(export.export_scene(bpy.context.scene))`;
const IDLE = `not adapter.stream.changes and not adapter.transactions.open`;
const round = (v: number[]) => v.map((x) => Math.round(x * 1e4) / 1e4 + 0);

async function converged(h: Harness, blender: BlenderProcess, sims: SimAdapter[], what: string) {
  const orch = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
  let last: unknown[] = [];
  for (let i = 0; i < 100; i++) {
    const [b, idle] = [await blender.eval<string>(HASH), await blender.eval<boolean>(IDLE)];
    last = [b, orch(), ...sims.map((s) => s.sceneHash)];
    if (idle && b === orch() && sims.every((s) => s.sceneHash === b && s.scene.openTransactions === 0)) return b;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: Blender, orchestrator and simulators never agreed: ${JSON.stringify(last)}`);
}

describe.skipIf(skip)('Blender as a live source: playback streams live frames', () => {
  let h: Harness;
  let blender: BlenderProcess;
  let live: SimAdapter;
  let plain: SimAdapter;
  const byName = (s: SimAdapter, name: string) => s.scene.toScene().objects.find((o) => o.name === name);

  beforeAll(async () => {
    h = await startHarness({ logger: pino({ level: 'silent' }) });
    live = await h.sim({ name: 'unity', roles: ['target'], live: true, objects: 0 });
    plain = await h.sim({ name: 'godot', roles: ['target'], objects: 0 });
    blender = startBlender(h, 'blender', 'unity,godot');
    await live.waitFor('resync');
    await blender.exec(BUILD);
    await eventually(() => byName(plain, 'Still') !== undefined, 'animated scene on the targets', 15_000);
    await converged(h, blender, [live, plain], 'animated scene everywhere');
  }, 120_000);
  afterAll(async () => {
    await blender?.stop();
    await h?.stopAll();
  });

  it('the orchestrator grants the lane in welcome', () => {
    expect(blender.events.find((e) => e.event === 'welcome')).toMatchObject({ live: true });
    expect(live.liveGranted).toBe(true);
  });

  it('a playback (frames 1–60) goes as live frames: the live target sees them, every target ends with frame 60 and one hash, and Blender hears live_settled for its last frame', async () => {
    const from = blender.events.length;
    await blender.exec('import sys\nsys.path.insert(0, "adapters/blender/tests")\nimport playback\nplayback.play(adapter, emit, 1, 60)');
    expect((await blender.waitFor((e) => e.event === 'played', 30_000, from)).frames).toBe(60);
    await converged(h, blender, [live, plain], 'frame 60 everywhere');
    const frames = blender.events.slice(from).filter((e) => e.event === 'streamed' && e.frame != null);
    expect(frames.at(-1)!.frame).toBe(60);
    const numbers = frames.map((e) => e.live as number);
    expect(numbers.every((n) => Number.isInteger(n))).toBe(true); // every frame went on the live lane, none as a batch
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length); // strictly increasing
    expect(frames.every((e) => e.count === 1)).toBe(true); // the Mover alone; Still is never sent
    expect(live.stats.liveFrames).toBeGreaterThan(0);
    expect(plain.stats.liveFrames).toBe(0); // no lane: it got the settled values as transactions
    for (const s of [live, plain]) expect(round(byName(s, 'Mover')!.transform.position)).toEqual([59, 0, 0]); // Blender Z-up → Y-up
    const last = numbers.at(-1)!;
    await blender.waitFor((e) => e.event === 'live_settled' && (e.frame as number) >= last, 10_000, from);
    expect(await blender.eval<number>('adapter.live.settled')).toBe(last);
    expect(
      await blender.eval<string[]>('[t for t, _ in __import__("vibesync_blender.core.status", fromlist=["x"]).panel_lines(adapter, 0)]'),
    ).toContain(`Live lane: ${last} frames sent, settled frame ${last}; 0 received`);
    expect(await blender.eval<unknown>('adapter.in_flight')).toEqual({ unacknowledged: 0, transactions: 0 });
  }, 60_000);

  it('a hand edit of a still object keeps the JSON path (a mutation, acknowledged)', async () => {
    const from = blender.events.length;
    await blender.exec('bpy.data.objects["Still"].location.z = 1.5');
    const sent = await blender.waitFor((e) => e.event === 'streamed', 10_000, from);
    expect(sent).toMatchObject({ frame: null, live: null, ops: ['set_transform'] });
    await blender.waitFor((e) => e.event === 'ack', 10_000, from);
    await converged(h, blender, [live, plain], 'edit everywhere');
    expect(round(byName(live, 'Still')!.transform.position)).toEqual([3, 1.5, -3]);
  }, 60_000);
});

describe.skipIf(skip)('Blender as a live target: a live frame from another engine', () => {
  let h: Harness;
  let blender: BlenderProcess;
  let other: SimAdapter;
  let cube: string;

  beforeAll(async () => {
    h = await startHarness({ logger: pino({ level: 'silent' }) });
    // Blender streams to `unity`, so anything it wrongly took for its own edit would be sent back
    blender = startBlender(h, 'blender', 'unity');
    await blender.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 30_000);
    await eventually(() => h.orch.brain.state.sceneAdopted, 'Blender scene adopted', 15_000);
    other = await h.sim({ name: 'unity', roles: ['source', 'target'], live: true, objects: 0 });
    await other.waitFor('resync');
    cube = await blender.idOf('objects', 'Cube');
    await converged(h, blender, [other], 'Blender scene on the simulator');
  }, 120_000);
  afterAll(async () => {
    await blender?.stop();
    await h?.stopAll();
  });

  it('moves the object in Blender at once (canonical Y-up → Blender Z-up), is not streamed back, and its settle keeps it there', async () => {
    const from = blender.events.length;
    const half = 0.3;
    const transform = {
      position: [1, 2, 3] as [number, number, number],
      rotation: [0, Math.sin(half), 0, Math.cos(half)] as [number, number, number, number], // 0.6 rad about the wire's Y
      scale: [1, 1, 2] as [number, number, number],
    };
    other.scene.setLiveTransform(cube, transform);
    other.sendLive(1, [{ id: cube, ...transform }]);
    await blender.waitFor((e) => e.event === 'live_applied' && e.moved === 1, 10_000, from);
    const seen = `(lambda o: [list(o.location), list(o.rotation_quaternion.to_euler()), list(o.scale)])(bpy.data.objects["Cube"])`;
    const [loc, euler, scale] = await blender.eval<number[][]>(seen);
    expect(round(loc!)).toEqual([1, -3, 2]); // (x, y, z) → (x, −z, y)
    expect(round(euler!)).toEqual([0, 0, round([0.6])[0]]); // about Blender's Z
    expect(round(scale!)).toEqual([1, 2, 1]);
    const hash = await converged(h, blender, [other], 'settled everywhere');
    expect(hash).toBe(other.sceneHash);
    expect(round(await blender.eval<number[]>('list(bpy.data.objects["Cube"].location)'))).toEqual([1, -3, 2]);
    expect(h.orch.brain.state.scene.objects.get(cube)!.transform.position).toEqual([1, 2, 3]);
    expect(blender.events.slice(from).filter((e) => e.event === 'streamed')).toEqual([]); // no echo
    expect(blender.events.slice(from).some((e) => e.event === 'tx_hash')).toBe(true); // the settle came as a transaction
  }, 60_000);
});
