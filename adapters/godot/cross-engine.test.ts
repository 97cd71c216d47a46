// Two real engines through the real orchestrator: headless Blender (the add-on in
// adapters/blender) as source, headless Godot 3 (this add-on) as target. After each change made in
// Blender, Godot's scene hash, computed from the Spatial nodes it holds, equals Blender's and the
// orchestrator's; the objects themselves are checked in Godot (world transform within the
// quantisation step, parent, vertex count).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import type { SceneObject } from '../../shared/protocol/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import { startHarness, type Harness } from '../../test/support/harness.js';
import { BlenderProcess } from '../blender/testing/blender-process.js';
import { skipWithoutBlender } from '../blender/testing/require-blender.js';
import { GodotProcess } from './testing/godot-process.js';
import { skipWithoutGodot } from './testing/require-godot.js';

const what = 'Blender -> Godot sync across two real engines (adapters/godot/cross-engine.test.ts)';
const skip = skipWithoutGodot(what) || skipWithoutBlender(what);

describe.skipIf(skip)('Blender source -> Godot target, both real and headless', () => {
  let h: Harness;
  let godot: GodotProcess;
  let blender: BlenderProcess;
  let ids: Record<string, string>;
  const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));

  const blenderHash = async () => {
    await blender.exec(
      'from vibesync_blender.core import canonical\nemit({"event": "scene_hash", "hash": canonical.scene_hash(export.export_scene(bpy.context.scene))})',
    );
    return blender.events.filter((e) => e.event === 'scene_hash').at(-1)!.hash as string;
  };

  /** Runs `code` in Blender, waits until Godot committed what it streamed, and checks the three hashes agree. */
  const change = async (code: string) => {
    const from = godot.events.length;
    const bfrom = blender.events.length;
    await blender.exec(code);
    await blender.waitFor((e) => e.event === 'ack', 10_000, bfrom);
    const done = await godot.waitFor((e) => e.event === 'tx_done' && e.hash === truth(), 15_000, from);
    expect(done.outcome).toBe('committed');
    const b = await blenderHash();
    expect(await godot.hash()).toBe(truth());
    expect(b).toBe(truth());
  };

  const inGodot = async (id: string) => {
    const r = await godot.command('read', { objectId: id });
    return r as unknown as { object: SceneObject | null; world: number[]; class: string };
  };
  /** Blender's world location of `name`, in canonical axes (x, z, -y). */
  const blenderWorld = async (name: string) => {
    const [x, y, z] = await blender.eval<number[]>(`list(bpy.data.objects["${name}"].matrix_world.translation)`);
    return [x!, z!, -y!];
  };
  const expectWorld = (got: number[], want: number[]) => want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(1e-4));

  beforeAll(async () => {
    h = await startHarness();
    const gt = h.orch.tokens.issue('adapter', 'godot').token;
    godot = new GodotProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: gt, VIBESYNC_NAME: 'godot', VIBESYNC_ROLES: 'target' });
    await godot.waitFor((e) => e.event === 'welcome', 20_000); // nothing to resync yet: the scene is empty
    const bt = h.orch.tokens.issue('adapter', 'blender').token;
    const from = godot.events.length;
    blender = new BlenderProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: bt, VIBESYNC_NAME: 'blender', VIBESYNC_TARGETS: 'godot' });
    await blender.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 30_000);
    await godot.waitFor((e) => e.event === 'resync' && e.objects === 3, 20_000, from);
    ids = await blender.eval('{o.name: o["vibesync_id"] for o in bpy.context.scene.objects}');
  }, 60_000);
  afterAll(async () => {
    await blender?.stop();
    await godot?.stop();
    await h?.stopAll();
  });

  it('initial snapshot: Blender, the orchestrator and Godot hold the same scene, byte for byte', async () => {
    expect(await godot.hash()).toBe(truth());
    expect(await blenderHash()).toBe(truth());
    const cube = await inGodot(ids.Cube!);
    expect(cube.class).toBe('MeshInstance');
    expect(cube.object!.mesh!.vertexCount).toBe(await blender.eval<number>('len(bpy.data.objects["Cube"].data.vertices)'));
    expectWorld(cube.world, await blenderWorld('Cube'));
    expect((await inGodot(ids.Light!)).class).toBe('OmniLight');
    expect((await inGodot(ids.Camera!)).class).toBe('Camera');
  });

  it('move, rotate, scale: each commits in Godot with equal hashes and the world transform within 0.1 mm', async () => {
    await change('bpy.data.objects["Cube"].location = (1.5, -2.0, 0.75)');
    expectWorld((await inGodot(ids.Cube!)).world, await blenderWorld('Cube'));
    await change('bpy.data.objects["Cube"].rotation_euler = (0.3, 0.2, 1.1)');
    await change('bpy.data.objects["Cube"].scale = (2.0, 0.5, 1.25)');
    expectWorld((await inGodot(ids.Cube!)).world, await blenderWorld('Cube'));
  });

  it('create, reparent, rename, material colour, delete', async () => {
    await change(
      ['pivot = bpy.data.objects.new("Pivot", None)', 'bpy.context.scene.collection.objects.link(pivot)', 'pivot.location = (0.0, 0.0, 2.0)'].join('\n'),
    );
    const pivot = await blender.eval<string>('bpy.data.objects["Pivot"]["vibesync_id"]');
    expect((await inGodot(pivot)).object!.name).toBe('Pivot');
    await change('bpy.data.objects["Light"].parent = bpy.data.objects["Pivot"]');
    const light = await inGodot(ids.Light!);
    expect(light.object!.parent).toBe(pivot);
    expectWorld(light.world, await blenderWorld('Light'));
    await change('bpy.data.objects["Camera"].name = "Kamera ☀"');
    expect((await inGodot(ids.Camera!)).object!.name).toBe('Kamera ☀');
    await change('bpy.data.materials["Material"].node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value = (0.1, 0.6, 0.2, 1.0)');
    await change('bpy.data.objects["Light"].parent = None\nbpy.data.objects.remove(bpy.data.objects["Pivot"])');
    expect((await inGodot(pivot)).object).toBeNull();
  });
});
