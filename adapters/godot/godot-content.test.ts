// Godot 3 (godot3-server) as a target of the real orchestrator, fed by the TS simulator as source:
// the content blobs it holds. Textures are shown in every slot from the image bytes Godot keeps (a
// PNG it cannot decode is a typed failure, rolled back exactly); a real mesh blob re-exported from
// Godot's ArrayMesh is the source's blob, and a mesh edited in Godot is caught by the hash check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMesh, meshBlobHash, meshSummaryOf } from '../../shared/canonical/mesh.js';
import type { Material, Mutation, SceneObject } from '../../shared/protocol/index.js';
import type { Harness } from '../../test/support/harness.js';
import { encodePng } from '../sim/png.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import type { GodotProcess } from './testing/godot-process.js';
import { orchestratorHash, startGodotTarget } from './testing/godot-suite.js';
import { skipWithoutGodot } from './testing/require-godot.js';

const skip = skipWithoutGodot('Godot target content tests (adapters/godot/godot-content.test.ts)');

describe.skipIf(skip)('Godot target with the real orchestrator, the simulator as source: textures and meshes', () => {
  let h: Harness;
  let sim: SimAdapter;
  let godot: GodotProcess;
  const truth = () => orchestratorHash(h);

  beforeAll(async () => {
    ({ h, sim, godot } = await startGodotTarget());
  });
  afterAll(async () => {
    await godot?.stop();
    await h?.stopAll();
  });

  it("holds the simulator's PNG: the texture Godot reports is hashed and sized from the image bytes it keeps, never the reference it was told", async () => {
    const wire = [...h.orch.brain.state.scene.materials.values()].find((m) => m.textures.length > 0)!;
    const reported = ((await godot.command('scene')).scene as { materials: Material[] }).materials.find((m) => m.id === wire.id)!;
    expect(reported.textures).toEqual([{ ...wire.textures[0]!, width: 16, height: 16, format: 'png', blob: true }]);
    // told of an image whose bytes it does not hold, Godot reports no texture (an echo would report it): its hash differs
    const unheld = { ...wire, textures: wire.textures.map((t) => ({ ...t, hash: 'ab'.repeat(32), blob: true })) };
    await godot.command('upsert_material', { material: unheld });
    const without = ((await godot.command('scene')).scene as { materials: Material[] }).materials.find((m) => m.id === wire.id)!;
    expect(without.textures).toEqual([]);
    expect(await godot.hash()).not.toBe(sim.sceneHash);
    await godot.command('upsert_material', { material: { ...wire, textures: wire.textures.map((t) => ({ ...t, blob: true })) } });
    expect(await godot.hash()).toBe(sim.sceneHash);
  });

  it("shows the simulator's PNG: an ImageTexture in the material's albedo_texture, 16×16, whose pixels are the checker's", async () => {
    const wire = [...h.orch.brain.state.scene.materials.values()].find((m) => m.textures.length > 0)!;
    const colour = wire.baseColor.slice(0, 3).map((c) => Math.round(c * 255));
    const at = async (x: number, y: number) => {
      const tex = await godot.command('texture', { materialId: wire.id, slot: 'base_color', x, y });
      expect(tex).toMatchObject({ class: 'ImageTexture', width: 16, height: 16 });
      return (tex.pixel as number[]).map((v) => Math.round(v * 255));
    };
    // the checker's 4-pixel cells: the material's colour at the origin, white one cell along
    expect(await at(0, 0)).toEqual([...colour, 255]);
    expect(await at(4, 0)).toEqual([255, 255, 255, 255]);
    expect(await at(5, 5)).toEqual([...colour, 255]);
  });

  it('shows a texture in every slot Godot has (normal and emission switched on; alpha held, not shown), and refuses a PNG it cannot decode visibly', async () => {
    // one PNG per slot, each its own size and colour, so a texture in the wrong slot is seen
    const slots = ['base_color', 'metallic', 'roughness', 'normal', 'emission', 'alpha'] as const;
    const colourOf = (i: number) => [40 * i + 10, 200 - 30 * i, (90 * i) % 256, 255];
    const images = slots.map((slot, i) => {
      const w = i + 2;
      const png = encodePng(
        w,
        3,
        Uint8Array.from({ length: w * 3 * 4 }, (_, k) => colourOf(i)[k % 4]!),
      );
      return { slot, png, hash: meshBlobHash(png), w };
    });
    for (const img of images) sim.blobs.set(img.hash, img.png);
    await sim.uploadBlobs(images.map((img) => img.hash));
    const material: Material = {
      id: 'mat-slots',
      name: 'Every slot',
      baseColor: [1, 1, 1, 1],
      metallic: 0.5,
      roughness: 0.5,
      textures: images.map((img) => ({ slot: img.slot, width: img.w, height: 3, hash: img.hash, format: 'png' as const, blob: true })),
    };
    let from = godot.events.length;
    const upsert: Mutation = { mid: 'slots-1', targets: ['godot'], op: 'upsert_material', material };
    sim.scene.applyLive([upsert]);
    let id = sim.send('mutation', { mutation: upsert });
    await sim.waitFor('ack', (m) => m.body.ref === id);
    expect((await godot.waitFor((e) => e.event === 'tx_done', 15_000, from)).outcome).toBe('committed');
    expect(await godot.hash()).toBe(truth());
    for (const [i, img] of images.entries()) {
      if (img.slot === 'alpha') continue;
      const tex = await godot.command('texture', { materialId: 'mat-slots', slot: img.slot, x: 1, y: 2 });
      expect(tex, img.slot).toMatchObject({ class: 'ImageTexture', width: img.w, height: 3, enabled: { normal: true, emission: true } });
      expect(
        (tex.pixel as number[]).map((v) => Math.round(v * 255)),
        img.slot,
      ).toEqual(colourOf(i));
    }
    const reported = ((await godot.command('scene')).scene as { materials: Material[] }).materials.find((m) => m.id === 'mat-slots')!;
    expect(reported.textures.find((t) => t.slot === 'alpha')).toMatchObject({ width: 7, height: 3, hash: images[5]!.hash });

    // a PNG whose header is sound (the orchestrator stores it) but whose pixel data is damaged
    const corrupt = Uint8Array.from(encodePng(4, 4, new Uint8Array(64).fill(200)));
    corrupt[45] = corrupt[45]! ^ 0xff; // inside the IDAT chunk's data: its CRC no longer matches
    const bad = meshBlobHash(corrupt);
    sim.blobs.set(bad, corrupt);
    expect(await sim.uploadBlobs([bad])).toEqual([bad]);
    from = godot.events.length;
    const damaged: Material = {
      ...material,
      textures: [{ slot: 'base_color' as const, width: 4, height: 4, hash: bad, format: 'png', blob: true }],
    };
    const request = sim.waitFor('snapshot_request', (m) => m.body.reason.includes('cannot be decoded'));
    id = sim.send('mutation', { mutation: { mid: 'slots-2', targets: ['godot'], op: 'upsert_material', material: damaged } });
    await sim.waitFor('ack', (m) => m.body.ref === id);
    const failed = await godot.waitFor((e) => e.event === 'tx_failed', 15_000, from);
    expect(failed.message).toMatch(
      new RegExp(`material mat-slots: texture blob ${bad} \\(base_color\\) cannot be decoded by Godot as png`),
    );
    // Godot put back the texture it had (exact rollback of its sandbox)
    const still = await godot.command('texture', { materialId: 'mat-slots', slot: 'base_color', x: 0, y: 0 });
    expect(still).toMatchObject({ width: 2, height: 3 });
    // the typed error reaches the orchestrator: the transaction is rolled back, the source asked to
    // re-snapshot with the reason, and Godot resynced to the orchestrator's scene
    expect((await request).body.reason).toMatch(/TARGET_FAILED on godot: material mat-slots: texture blob/);
    await godot.waitFor((e) => e.event === 'resync' && e.hash === truth(), 15_000, from);
    expect(h.orch.brain.state.scene.materials.get('mat-slots')?.textures).toEqual(material.textures);
  });

  it('holds a real mesh blob (n-gons, two material slots, UVs, a loose vertex): Godot s own re-export is the source s blob', async () => {
    // a pentagon (slot 1), a quad and a triangle (slot 0), per-corner UVs, one vertex no face uses
    const blob = encodeMesh({
      positions: [0, 0, 0, 1, 0, 0, 1.3, 0.9, 0, 0.5, 1.5, 0, -0.3, 0.9, 0, 0, 0, -1, 1, 0, -1, 0.00015, -4.999e-5, 2],
      faceSizes: [5, 4, 3],
      corners: [0, 1, 2, 3, 4, 0, 5, 6, 1, 1, 6, 2],
      slots: [1, 0, 0],
      uvs: [0, 0, 1, 0, 1, 0.6, 0.5, 1, 0, 0.6, 0, 0, 0, 1, 1, 1, 1, 0, 0.25, 0.75, 0.123455, 0.999999, 2.000005, -0.25],
    });
    const hash = meshBlobHash(blob);
    sim.blobs.set(hash, blob);
    expect(await sim.uploadBlobs([hash])).toEqual([hash]);
    const object: SceneObject = {
      id: 'obj-gem',
      name: 'Gem',
      type: 'mesh',
      parent: null,
      transform: { position: [0, 1, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
      materials: [],
      mesh: meshSummaryOf(blob),
    };
    const from = godot.events.length;
    const create = { mid: 'gem-1', targets: ['godot'], op: 'create' as const, object };
    sim.scene.applyLive([create]); // the simulator holds it too, so its re-snapshots carry it
    const id = sim.send('mutation', { mutation: create });
    await sim.waitFor('ack', (m) => m.body.ref === id);
    const done = await godot.waitFor((e) => e.event === 'tx_done', 15_000, from);
    expect(done.outcome).toBe('committed');
    expect(godot.events.slice(from).some((e) => e.event === 'blob' && e.hash === hash)).toBe(true);
    expect(await godot.hash()).toBe(truth());
    const held = await godot.command('mesh', { objectId: 'obj-gem' });
    // the blob re-encoded from the ArrayMesh's surfaces in Godot is the very blob the source sent
    expect(held.blob).toBe(Buffer.from(blob).toString('hex'));
    expect(held.class).toBe('ArrayMesh');
    // one surface per slot plus the loose vertex's point surface; polygons as fans: 3 + 2 + 1 triangles;
    // vertices split per (slot, UV) corner: every corner of this mesh has its own UV
    expect(held).toMatchObject({ surfaces: 3, triangles: 6, godotVertices: 12 + 1 });
    expect((await godot.command('read', { objectId: 'obj-gem' })).object).toEqual(object);
  });

  it('a mesh edited in Godot is seen by the hash check: the transaction touching it rolls back, and the re-snapshot restores the source s mesh', async () => {
    const wire = h.orch.brain.state.scene.objects.get('obj-gem')!;
    const before = (await godot.command('mesh', { objectId: 'obj-gem' })).blob;
    await godot.command('nudge_vertex', { objectId: 'obj-gem', index: 0, by: [0, 0.01, 0] });
    const edited = await godot.command('mesh', { objectId: 'obj-gem' });
    expect(edited.blob).not.toBe(before);
    expect(((await godot.command('read', { objectId: 'obj-gem' })).object as SceneObject).mesh!.geometryHash).not.toBe(
      wire.mesh!.geometryHash,
    );
    const from = godot.events.length;
    const move: Mutation = {
      mid: 'gem-2',
      targets: ['godot'],
      op: 'set_transform',
      objectId: 'obj-gem',
      transform: { position: [0, 2, 0] },
    };
    sim.scene.applyLive([move]);
    const id = sim.send('mutation', { mutation: move });
    await sim.waitFor('ack', (m) => m.body.ref === id);
    const done = await godot.waitFor((e) => e.event === 'tx_done', 15_000, from);
    expect(done.outcome).toBe('rolled_back');
    // the source is asked to re-snapshot; the orchestrator's scene (the source's mesh) is resynced into Godot
    await sim.waitFor('snapshot_request', () => true);
    await godot.waitFor((e) => e.event === 'resync' && e.hash === truth(), 15_000, from);
    expect((await godot.command('mesh', { objectId: 'obj-gem' })).blob).toBe(before);
    expect(await godot.hash()).toBe(truth());
  });
});
