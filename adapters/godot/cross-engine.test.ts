// Two real engines through the real orchestrator: headless Blender (the add-on in
// adapters/blender) as source, headless Godot 3 (this add-on) as target. After each change made in
// Blender, Godot's scene hash, computed from the Spatial nodes it holds, equals Blender's and the
// orchestrator's; the objects themselves are checked in Godot (world transform within the
// quantisation step, parent, vertex count).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
      [
        'pivot = bpy.data.objects.new("Pivot", None)',
        'bpy.context.scene.collection.objects.link(pivot)',
        'pivot.location = (0.0, 0.0, 2.0)',
      ].join('\n'),
    );
    const pivot = await blender.idOf('objects', 'Pivot');
    expect((await inGodot(pivot)).object!.name).toBe('Pivot');
    await change('bpy.data.objects["Light"].parent = bpy.data.objects["Pivot"]');
    const light = await inGodot(ids.Light!);
    expect(light.object!.parent).toBe(pivot);
    expectWorld(light.world, await blenderWorld('Light'));
    await change('bpy.data.objects["Camera"].name = "Kamera ☀"');
    expect((await inGodot(ids.Camera!)).object!.name).toBe('Kamera ☀');
    await change(
      'bpy.data.materials["Material"].node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value = (0.1, 0.6, 0.2, 1.0)',
    );
    await change('bpy.data.objects["Light"].parent = None\nbpy.data.objects.remove(bpy.data.objects["Pivot"])');
    expect((await inGodot(pivot)).object).toBeNull();
  });
  it("Suzanne made in Blender arrives in Godot as a real mesh: Godot's own re-export is Blender's blob", async () => {
    await change('bpy.ops.mesh.primitive_monkey_add(size=2.0, location=(0.0, 3.0, 0.0))\nbpy.context.active_object.name = "Suzanne"');
    const id = await blender.idOf('objects', 'Suzanne');
    const wire = h.orch.brain.state.scene.objects.get(id)!;
    expect(wire.mesh).toMatchObject({ blob: true, vertexCount: 507, faceCount: 500 });
    const held = await godot.command('mesh', { objectId: id });
    // the blob Godot re-encodes from its ArrayMesh is the one the orchestrator stored from Blender
    const stored = readFileSync(join(h.dir, 'blobs', wire.mesh!.geometryHash.slice(0, 2), wire.mesh!.geometryHash));
    expect(held.blob).toBe(stored.toString('hex'));
    expect(held.class).toBe('ArrayMesh');
    // 500 faces (quads and triangles) as Godot triangles; vertex counts from Blender itself
    const [quads, tris, verts] = await blender.eval<number[]>(
      '(lambda m: [sum(1 for p in m.polygons if p.loop_total == 4), sum(1 for p in m.polygons if p.loop_total == 3), len(m.vertices)])(bpy.data.objects["Suzanne"].data)',
    );
    expect(held.triangles).toBe(2 * quads! + tris!);
    expect((await inGodot(id)).object!.mesh!.vertexCount).toBe(verts);
    expectWorld((await inGodot(id)).world, await blenderWorld('Suzanne'));
  });
});

describe.skipIf(skip)('Godot source -> Blender target (both also the other way), real and headless', () => {
  let h: Harness;
  let godot: GodotProcess;
  let blender: BlenderProcess;
  const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
  const blenderHash = async () => {
    await blender.exec(
      'from vibesync_blender.core import canonical\nemit({"event": "scene_hash", "hash": canonical.scene_hash(export.export_scene(bpy.context.scene))})',
    );
    return blender.events.filter((e) => e.event === 'scene_hash').at(-1)!.hash as string;
  };
  /** Polls until Godot, Blender and the orchestrator report the same scene hash; returns it. */
  const agreed = async (what: string) => {
    const end = Date.now() + 15_000;
    let last: string[] = [];
    while (Date.now() < end) {
      last = [truth(), await godot.hash(), await blenderHash()];
      if (last[0] === last[1] && last[1] === last[2]) return last[0]!;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${what}: hashes differ (orchestrator, godot, blender): ${last.join(' ')}`);
  };
  /** A change made in Godot: streamed as a batch, acknowledged (or, when the node's transform changed in
   * scans in a row so that Godot took it for motion, as a live frame, settled), committed in Blender. */
  const change = async (op: string, args: Record<string, unknown>, what: string) => {
    const from = godot.events.length;
    await godot.command(op, args);
    await godot.waitFor((e) => e.event === 'ack' || e.event === 'live_settled', 10_000, from);
    return agreed(what);
  };
  const inBlender = (id: string) =>
    blender.eval<{ name: string; parent: string | null; loc: number[] } | null>(
      `next(({"name": o.name, "parent": o.parent["vibesync_id"] if o.parent else None, "loc": list(o.matrix_world.translation)} for o in bpy.context.scene.objects if o.get("vibesync_id") == "${id}"), None)`,
    );

  beforeAll(async () => {
    h = await startHarness();
    const bt = h.orch.tokens.issue('adapter', 'blender').token;
    blender = new BlenderProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: bt, VIBESYNC_NAME: 'blender', VIBESYNC_TARGETS: 'godot' });
    await blender.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 30_000);
    const gt = h.orch.tokens.issue('adapter', 'godot').token;
    godot = new GodotProcess({
      VIBESYNC_URL: h.orch.url,
      VIBESYNC_TOKEN: gt,
      VIBESYNC_NAME: 'godot',
      VIBESYNC_ROLES: 'source,target',
      VIBESYNC_TARGETS: 'blender',
    });
    // one resync as a target joining; Godot's (empty) initial snapshot crossed it and is not taken for drift
    await godot.waitFor((e) => e.event === 'resync' && e.objects === 3, 20_000);
  }, 60_000);
  afterAll(async () => {
    await blender?.stop();
    await godot?.stop();
    await h?.stopAll();
  });

  it('objects made and changed in Godot reach Blender; all three hashes agree after each change', async () => {
    await agreed('after the resync');
    await change('create', { objectId: 'gd-crate', name: 'Crate' }, 'create');
    expect(godot.events.filter((e) => e.event === 'resync')).toHaveLength(1); // resynced once, on connect
    expect(h.orch.control.state({ name: 'vic', role: 'viewer' }).audit.filter((a) => a.kind.startsWith('drift'))).toEqual([]);
    expect(await inBlender('gd-crate')).toMatchObject({ name: 'Crate', parent: null });
    await change('move', { objectId: 'gd-crate', position: [1.25, 2.5, -0.5] }, 'move');
    const moved = (await inBlender('gd-crate'))!;
    // Godot +Y up -> Blender +Z up: (x, y, z) -> (x, -z, y)
    [1.25, 0.5, 2.5].forEach((w, i) => expect(Math.abs(moved.loc[i]! - w)).toBeLessThanOrEqual(1e-4));
    await change('rotate_y', { objectId: 'gd-crate', radians: 0.7 }, 'rotate');
    await change('scale', { objectId: 'gd-crate', scale: [2, 0.5, 1.5] }, 'scale');
    await change('create', { objectId: 'gd-shelf', name: 'Shelf' }, 'second create');
    await change('reparent', { objectId: 'gd-crate', parent: 'gd-shelf' }, 'reparent');
    expect((await inBlender('gd-crate'))!.parent).toBe('gd-shelf');
    await change('rename', { objectId: 'gd-crate', name: 'Kiste' }, 'rename');
    expect((await inBlender('gd-crate'))!.name).toBe('Kiste');
    await change('reparent', { objectId: 'gd-crate', parent: null }, 'unparent');
    await change('add_box', { objectId: 'gd-box', name: 'Box', size: [1, 2, 1], color: [0.5, 0.25, 0.75, 1] }, 'a mesh with a material');
    // Godot's CubeMesh travelled as a blob: Blender built it and its own re-export is Godot's blob
    const box = h.orch.brain.state.scene.objects.get('gd-box')!.mesh!;
    expect(box.blob).toBe(true);
    expect(
      await blender.eval<string>(
        'export.mesh_summary(next(o for o in bpy.context.scene.objects if o.get("vibesync_id") == "gd-box").data, bpy.context.scene.unit_settings.scale_length)["geometryHash"]',
      ),
    ).toBe(box.geometryHash);
    expect(
      await blender.eval<number>('len(next(o for o in bpy.context.scene.objects if o.get("vibesync_id") == "gd-box").data.polygons)'),
    ).toBe(box.faceCount);
    await change('color', { objectId: 'gd-box', color: [0.25, 0.5, 0.125, 1] }, 'material colour');
    const colour = await blender.eval<number[]>(
      [
        '(lambda m: list(m.node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value) if m.use_nodes else list(m.diffuse_color))(',
        'next(o for o in bpy.context.scene.objects if o.get("vibesync_id") == "gd-box").material_slots[0].material)',
      ].join(''),
    );
    [0.25, 0.5, 0.125, 1].forEach((w, i) => expect(Math.abs(colour[i]! - w)).toBeLessThanOrEqual(1e-4));
    await change('delete', { objectId: 'gd-shelf' }, 'delete');
    expect(await inBlender('gd-shelf')).toBeNull();
  });
});
