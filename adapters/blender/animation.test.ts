// Animation playback, real Blender to real Blender through the real orchestrator: frame changes in
// the source (frame_set, simulated playback, scrubbing back) move keyed objects, and the target
// Blender ends up holding the same world transforms, with the same scene hash as the source and the
// orchestrator; what the frame does not move is not sent; playback leaves no backlog behind.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import { eventually, startHarness, type Harness } from '../../test/support/harness.js';
import { startBlenderPair } from './testing/blender-pair.js';
import { BlenderProcess, type BlenderEvent } from './testing/blender-process.js';
import { skipWithoutBlender } from './testing/require-blender.js';

const skip = skipWithoutBlender('Blender animation streaming tests (animation.test.ts)');

/** Mover: location x = frame − 1 and a turn of 0.05 rad a frame about Z, keyed linear at frames 1 and 61; Child: a plain child of Mover; Still: not animated. */
const BUILD = [
  'scene = bpy.context.scene',
  'def empty(name, parent=None):',
  '    o = bpy.data.objects.new(name, None)',
  '    scene.collection.objects.link(o)',
  '    o.parent = parent',
  '    return o',
  'mover = empty("Mover")',
  'for f, x, rz in ((1, 0.0, 0.0), (61, 60.0, 3.0)):',
  '    mover.location = (x, 0.0, 0.0)',
  '    mover.rotation_euler = (0.0, 0.0, rz)',
  '    mover.keyframe_insert("location", frame=f)',
  '    mover.keyframe_insert("rotation_euler", frame=f)',
  'for fc in mover.animation_data.action.fcurves:',
  '    for k in fc.keyframe_points:',
  '        k.interpolation = "LINEAR"',
  'child = empty("Child", mover)',
  'child.location = (0.0, 2.0, 1.0)',
  'empty("Still").location = (3.0, 3.0, 0.0)',
  'scene.frame_set(1)',
].join('\n');

/** World matrices (Blender axes, 1e-4 grid) of the three objects as this Blender evaluates them. */
const WORLD = `(bpy.context.view_layer.update(), {n: [[round(v, 4) + 0.0 for v in row] for row in bpy.data.objects[n].matrix_world] for n in ("Mover", "Child", "Still")})[1]`;
const HASH = `__import__("vibesync_blender.core.canonical", fromlist=["x"]).scene_hash(export.export_scene(bpy.context.scene))`;
const SETTLED = `not adapter.source.frame_in_flight() and not adapter.stream.changes and not adapter.transactions.open`;

describe.skipIf(skip)('animation playback from Blender to Blender', () => {
  let h: Harness;
  let source: BlenderProcess;
  let target: BlenderProcess;
  const orchHash = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
  const wire = (name: string) => [...h.orch.brain.state.scene.objects.values()].find((o) => o.name === name);

  /** Waits until source, orchestrator and target agree and nothing is in flight; returns the source's world matrices. */
  async function converged(what: string) {
    let last: unknown[] = [];
    for (let i = 0; i < 100; i++) {
      const [sourceHash, targetHash, srcSettled, tgtSettled] = (last = [
        await source.eval<string>(HASH),
        await target.eval<string>(HASH),
        await source.eval<boolean>(SETTLED),
        await target.eval<boolean>(SETTLED),
      ]);
      if (sourceHash === targetHash && sourceHash === orchHash() && srcSettled && tgtSettled) {
        const [sent, held] = [await source.eval<unknown>(WORLD), await target.eval<unknown>(WORLD)];
        expect(held).toEqual(sent);
        return sent as Record<string, number[][]>;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what}: source, orchestrator and target never agreed: ${JSON.stringify([...last, orchHash()])}`);
  }

  const streamedFrames = (from: number) => source.events.slice(from).filter((e) => e.event === 'streamed' && e.frame != null);

  beforeAll(async () => {
    h = await startHarness({ logger: pino({ level: 'silent' }) });
    ({ source, target } = await startBlenderPair(h));
    await source.exec(BUILD);
    await eventually(() => wire('Still') !== undefined && wire('Child') !== undefined, 'animated scene streamed', 15_000);
    await converged('animated scene on the target');
  }, 120_000);
  afterAll(async () => {
    await source?.stop();
    await target?.stop();
    await h?.stopAll();
  });

  it('frame_set(6): the keyed object is streamed at its evaluated transform, its child follows on the target, the still one is not sent, and the hashes agree', async () => {
    const from = source.events.length;
    const still = wire('Still')!.transform;
    await source.exec('bpy.context.scene.frame_set(6)');
    const sent = await source.waitFor((e) => e.event === 'streamed' && e.frame === 6, 10_000, from);
    expect(sent.ops).toEqual(['set_transform']); // the Mover only: not the Child (its transform relative to Mover is unchanged), not Still
    const world = await converged('frame 6 everywhere');
    expect(world.Mover!.map((row) => row[3])).toEqual([5, 0, 0, 1]); // halfway: x = 5
    expect(world.Child!.map((row) => row[3])).not.toEqual([0, 2, 1, 1]); // carried along by Mover (and its turn)
    const mover = wire('Mover')!.transform;
    expect(mover.position.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([5, 0, 0]); // Blender Z-up → wire Y-up
    const half = 0.25 / 2; // 0.25 rad about Blender Z = about the wire's Y
    expect(mover.rotation.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([
      0,
      Math.round(Math.sin(half) * 1e4) / 1e4,
      0,
      Math.round(Math.cos(half) * 1e4) / 1e4,
    ]);
    expect(wire('Still')!.transform).toEqual(still);
  }, 60_000);

  it("the sidebar's In flight returns to 0 once everything is acked: the snapshots sent (never acked, by the protocol) are not counted", async () => {
    await converged('settled');
    const snapshots = source.events.filter((e) => e.event === 'snapshot').length;
    expect(snapshots).toBeGreaterThan(0);
    expect(await source.eval<{ unacknowledged: number; transactions: number }>('adapter.in_flight')).toEqual({
      unacknowledged: 0,
      transactions: 0,
    });
  }, 60_000);

  it('a playback run (a frame every tick, frames 1–60) ends with the last frame everywhere and no backlog', async () => {
    const from = source.events.length;
    const targetFrom = target.events.length;
    await source.exec('import sys\nsys.path.insert(0, "adapters/blender/tests")\nimport playback\nplayback.play(adapter, emit, 1, 60)');
    const played = await source.waitFor((e) => e.event === 'played', 30_000, from);
    expect(played.frames).toBe(60);
    const world = await converged('frame 60 everywhere');
    expect(world.Mover!.map((row) => row[3])).toEqual([59, 0, 0, 1]);
    const frames = streamedFrames(from);
    expect(frames.at(-1)!.frame).toBe(60);
    // coalesced: never more than one message a frame, and each sent frame is later than the one before
    expect(frames.length).toBeLessThanOrEqual(60);
    const order = frames.map((e) => e.frame as number);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(frames.every((e) => e.count === 1 && (e.ops as string[])[0] === 'set_transform')).toBe(true); // the Mover alone
    // both Blenders speak the live lane: the frames went live, the target showed them before their settle
    expect(frames.every((e) => typeof e.live === 'number')).toBe(true);
    expect(target.events.slice(targetFrom).some((e) => e.event === 'live_applied' && e.moved === 1)).toBe(true);
  }, 60_000);

  it('scrubbing backwards (frames 60 → 2) moves everything back', async () => {
    const from = source.events.length;
    await source.exec('import playback\nplayback.play(adapter, emit, 60, 2)');
    await source.waitFor((e) => e.event === 'played', 30_000, from);
    const world = await converged('frame 2 everywhere');
    expect(world.Mover!.map((row) => row[3])).toEqual([1, 0, 0, 1]);
    expect(streamedFrames(from).at(-1)!.frame).toBe(2);
    const moved = new Set(streamedFrames(from).flatMap((e) => e.ops as string[]));
    expect(moved).toEqual(new Set(['set_transform']));
  }, 60_000);

  it('a frame change that moves nothing sends nothing', async () => {
    await source.exec('bpy.data.objects["Mover"].animation_data_clear()\nbpy.context.scene.frame_set(3)');
    await converged('unkeyed');
    const from = source.events.length;
    await source.exec('bpy.context.scene.frame_set(9)');
    await source.eval('adapter.stream.changes.frame'); // a tick has run since
    await new Promise((r) => setTimeout(r, 300));
    expect(source.events.slice(from).filter((e: BlenderEvent) => e.event === 'streamed')).toEqual([]);
    expect(await source.eval<boolean>('adapter.stream.changes.frame')).toBe(false);
  }, 60_000);
});
