// The Godot add-on on real headless Godot 3 (godot3-server 3.2.3): (a) the golden vectors computed
// in GDScript equal data/golden/canonical-vectors.json byte for byte; (b) Godot as a target of the
// real orchestrator (127.0.0.1, port 0, fresh data folder) fed by the TS simulator as source: every
// transaction commits and Godot's scene hash, computed from the nodes it holds, equals the
// orchestrator's; a forced mismatch rolls back exactly; (c) Godot as a source.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { encodeMesh, meshBlobHash, meshSummaryOf } from '../../shared/canonical/mesh.js';
import type { Material, Mutation, SceneObject } from '../../shared/protocol/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import { eventually, startHarness, type Harness } from '../../test/support/harness.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import { GODOT_PROJECT, GodotProcess, runGodotScript, type GodotEvent } from './testing/godot-process.js';
import { skipWithoutGodot } from './testing/require-godot.js';
import { pngPixel } from './testing/png-pixels.js';
import { encodePng } from '../sim/png.js';

const skip = skipWithoutGodot('Godot integration tests (adapters/godot/godot.test.ts)');
const VECTORS = join(GODOT_PROJECT, '..', '..', 'data', 'golden', 'canonical-vectors.json');
const MESH_VECTORS = join(GODOT_PROJECT, '..', '..', 'data', 'golden', 'mesh-vectors.json');
const LIVE_VECTORS = join(GODOT_PROJECT, '..', '..', 'data', 'golden', 'live-vectors.json');

interface Vector {
  name: string;
  kind: string;
  canonical: string;
  sha256: string;
}

interface MeshVector {
  name: string;
  blob: string;
  sha256: string;
  summary: unknown;
}

describe.skipIf(skip)('GDScript canonical core in godot3-server', () => {
  it('reproduces every golden vector byte for byte', () => {
    const vectors = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Vector[] }).vectors;
    const meshes = (JSON.parse(readFileSync(MESH_VECTORS, 'utf8')) as { vectors: MeshVector[] }).vectors;
    const run = runGodotScript('res://tests/golden.gd', [VECTORS, MESH_VECTORS]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const got = new Map<string, { canonical: string; sha256: string }>();
    for (const line of run.stdout.split('\n')) {
      const [tag, name, canonical, sha256] = line.trim().split(' ');
      if (tag !== 'VIBESYNC_GOLDEN') continue;
      got.set(Buffer.from(name!, 'hex').toString('utf8'), { canonical: Buffer.from(canonical!, 'hex').toString('utf8'), sha256: sha256! });
    }
    expect(run.stdout).toContain(`VIBESYNC_DONE ${vectors.length + meshes.length}`);
    expect(run.stdout).toContain('VIBESYNC_DOCK_LOADS True');
    expect(vectors.length).toBeGreaterThan(10);
    for (const v of vectors) {
      expect(got.get(v.name), v.name).toEqual({ canonical: v.canonical, sha256: v.sha256 });
    }
    // VSM1 mesh blobs: encoded in GDScript from the input, decoded and encoded again, and built into
    // an ArrayMesh whose surfaces, read back, encode to the very same bytes
    const mesh = new Map<string, string[]>();
    for (const line of run.stdout.split('\n')) {
      const [tag, name, ...rest] = line.trim().split(' ');
      if (tag === 'VIBESYNC_MESH') mesh.set(Buffer.from(name!, 'hex').toString('utf8'), rest);
    }
    expect(meshes.length).toBeGreaterThanOrEqual(3);
    for (const v of meshes) {
      const [blob, sha256, summary, again, held] = mesh.get(v.name) ?? [];
      expect({ blob, sha256 }, v.name).toEqual({ blob: v.blob, sha256: v.sha256 });
      expect(JSON.parse(summary!), v.name).toEqual(v.summary);
      expect(again, `${v.name}: decoded and encoded again`).toBe(v.blob);
      expect(held, `${v.name}: built into an ArrayMesh and read back`).toBe(v.blob);
    }
  });
});

describe.skipIf(skip)('GDScript live-lane frames in godot3-server (core/live.gd)', () => {
  it('encodes and decodes every live vector byte for byte, and refuses every frame a reader must refuse', () => {
    const file = JSON.parse(readFileSync(LIVE_VECTORS, 'utf8')) as {
      vectors: { name: string; frame: unknown; hex: string }[];
      invalid: { name: string; hex: string }[];
    };
    const run = runGodotScript('res://tests/live_golden.gd', [LIVE_VECTORS]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`VIBESYNC_DONE ${file.vectors.length + file.invalid.length}`);
    const lines = new Map<string, string[]>();
    for (const line of run.stdout.split('\n')) {
      const [tag, name, ...rest] = line.trim().split(' ');
      if (tag === 'VIBESYNC_LIVE' || tag === 'VIBESYNC_LIVE_REFUSED')
        lines.set(`${tag} ${Buffer.from(name!, 'hex').toString('utf8')}`, rest);
    }
    expect(file.vectors.length).toBeGreaterThanOrEqual(3);
    for (const v of file.vectors) {
      const [bytes, decoded] = lines.get(`VIBESYNC_LIVE ${v.name}`) ?? [];
      expect(bytes, `${v.name}: encoded`).toBe(v.hex);
      expect(JSON.parse(decoded!), `${v.name}: decoded`).toEqual(v.frame);
    }
    expect(file.invalid.length).toBeGreaterThanOrEqual(7);
    for (const v of file.invalid) {
      const [reason] = lines.get(`VIBESYNC_LIVE_REFUSED ${v.name}`) ?? [];
      expect(reason, `${v.name}: refused`).toMatch(/^[0-9a-f]+$/);
    }
  });
});

describe.skipIf(skip)('Godot target with the real orchestrator, the simulator as source', () => {
  let h: Harness;
  let sim: SimAdapter;
  let godot: GodotProcess;
  const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
  const events = (name: string) => godot.events.filter((e) => e.event === name);

  beforeAll(async () => {
    h = await startHarness();
    sim = await h.sim({ name: 'sim', roles: ['source'], objects: 30, seed: 7, targets: ['godot'] });
    await eventually(() => h.orch.brain.state.scene.objects.size === 30, 'simulator snapshot adopted');
    const { token } = h.orch.tokens.issue('adapter', 'godot');
    godot = new GodotProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'godot', VIBESYNC_ROLES: 'target' });
    await godot.waitFor((e) => e.event === 'resync', 20_000);
  });
  afterAll(async () => {
    await godot?.stop();
    await h?.stopAll();
  });

  it('takes the scene on resync: its hash, computed from the nodes, equals the orchestrator s', async () => {
    const resync = events('resync')[0] as GodotEvent;
    expect(resync.objects).toBe(30);
    expect(resync.hash).toBe(resync.expected);
    expect(resync.hash).toBe(truth());
    expect(await godot.hash()).toBe(sim.sceneHash);
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

  it('holds the objects as Spatial nodes with the wire transform, unconverted (+Y up, metres)', async () => {
    const wire = h.orch.brain.state.scene.objects.get('obj_3') as SceneObject;
    const read = await godot.command('read', { objectId: 'obj_3' });
    // Godot declares `blobs`: the mesh it reports (blob flag, counts, bounds, hash) is re-encoded from
    // the ArrayMesh it built, and equals the wire's
    expect(wire.mesh?.blob).toBe(true);
    expect(read.object).toEqual(wire);
    expect(read.class).toBe(wire.type === 'mesh' ? 'MeshInstance' : 'Spatial');
    // a root object's world origin is its wire position, within float32
    if (wire.parent === null) {
      const world = read.world as number[];
      wire.transform.position.forEach((p, i) => expect(Math.abs(world[i]! - p)).toBeLessThan(1e-4));
    }
  });

  it('commits every streamed frame, and its scene hash equals the orchestrator s after each', async () => {
    for (let frame = 0; frame < 5; frame++) {
      const from = godot.events.length;
      const acked = sim.stats.acked;
      sim.streamFrame();
      await sim.until(() => sim.stats.acked > acked, 'frame acknowledged');
      const done = await godot.waitFor((e) => e.event === 'tx_done' && e.hash === truth(), 15_000, from);
      expect(done.outcome).toBe('committed');
    }
    const done = events('tx_done');
    expect(done.length).toBeGreaterThan(0);
    expect(done.every((e) => e.outcome === 'committed')).toBe(true);
    expect(await godot.hash()).toBe(truth());
    expect(await godot.hash()).toBe(sim.sceneHash);
  });

  it("an approved AI script reaches Godot as the mutations of its sandbox run, committed with the orchestrator's hash", async () => {
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    const from = godot.events.length;
    const code = 'o = scene.objects["obj_5"]\nx, y, z = o.position\no.position = (x, y + 2.5, z)\no.name = "Lifted"\n';
    const pid = agent.proposeScript(code, ['godot'], ['obj_5']);
    await agent.until(() => agent.proposals.get(pid)?.status === 'pending', 'pending', 60_000);
    await h.orch.control.call({ name: 'rita', role: 'reviewer' }, 'approve', { pids: [pid] });
    await agent.until(() => agent.proposals.get(pid)?.status === 'applied', 'applied', 20_000);
    const done = await godot.waitFor((e) => e.event === 'tx_done' && e.hash === truth(), 15_000, from);
    expect(done.outcome).toBe('committed');
    expect((await godot.command('read', { objectId: 'obj_5' })).object).toMatchObject({ name: 'Lifted' });
    expect(await godot.hash()).toBe(truth());
  }, 120_000);

  it('holds lights and cameras as OmniLight/SpotLight/DirectionalLight and Camera nodes whose own values hash like the wire', async () => {
    const golden = JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Array<{ kind: string; input: SceneObject }> };
    const kinds = golden.vectors
      .map((v) => v.input)
      .filter((o) => o.light?.kind === 'directional' || o.light?.kind === 'spot' || o.camera)
      .map((o) => ({ ...o, parent: null }));
    expect(kinds.map((o) => o.id)).toEqual(['obj-sun', 'obj-spot', 'obj-cam', 'obj-ortho']);
    const from = godot.events.length;
    const id = sim.send('batch', {
      mutations: kinds.map((object, i) => ({ mid: `k${i}`, targets: ['godot'], op: 'create' as const, object })),
    });
    await sim.waitFor('ack', (m) => m.body.ref === id);
    const done = await godot.waitFor((e) => e.event === 'tx_done', 15_000, from);
    expect(done.outcome).toBe('committed');
    expect(await godot.hash()).toBe(truth());
    const spot = await godot.command('read', { objectId: 'obj-spot' });
    expect(spot.class).toBe('SpotLight');
    expect(spot.object).toMatchObject({ light: { kind: 'spot', range: 12.5 } });
    expect((await godot.command('read', { objectId: 'obj-sun' })).class).toBe('DirectionalLight');
    expect((await godot.command('read', { objectId: 'obj-ortho' })).object).toMatchObject({
      camera: { projection: 'orthographic', orthoSize: 7.5 },
    });
  });

  it('keeps a notSynced mark that arrived from another engine (reported back, never hashed) until a set_props clears it', async () => {
    const mark = { kind: 'armature' as const, reason: 'armature "Rig" (12 bones) not sent: travels as an object without data' };
    const rig: SceneObject = {
      id: 'obj-rig',
      name: 'Rig',
      type: 'other',
      parent: null,
      transform: { position: [0, 1, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
      mesh: null,
      materials: [],
      notSynced: mark,
    };
    const run = async (mutation: Mutation) => {
      const from = godot.events.length;
      const id = sim.send('batch', { mutations: [mutation] });
      await sim.waitFor('ack', (m) => m.body.ref === id);
      const done = await godot.waitFor((e) => e.event === 'tx_done', 15_000, from);
      expect(done.outcome).toBe('committed');
      expect(await godot.hash()).toBe(truth());
    };
    await run({ mid: 'rig1', targets: ['godot'], op: 'create', object: rig });
    expect((await godot.command('read', { objectId: 'obj-rig' })).object).toMatchObject({ notSynced: mark });
    // a set_props without notSynced leaves the mark; notSynced null removes it
    await run({ mid: 'rig2', targets: ['godot'], op: 'set_props', objectId: 'obj-rig', props: { name: 'Rig 2' } });
    expect((await godot.command('read', { objectId: 'obj-rig' })).object).toMatchObject({ name: 'Rig 2', notSynced: mark });
    await run({ mid: 'rig3', targets: ['godot'], op: 'set_props', objectId: 'obj-rig', props: { notSynced: null } });
    expect((await godot.command('read', { objectId: 'obj-rig' })).object).not.toHaveProperty('notSynced');
    await run({ mid: 'rig4', targets: ['godot'], op: 'delete', objectId: 'obj-rig' });
  });

  it('a forced mismatch on the Godot side rolls back exactly, asks for a re-snapshot and heals on the re-snapshot', async () => {
    const viewer = { name: 'vic', role: 'viewer' as const };
    // drift the orchestrator does not know, in a component the next frame (positions) leaves alone
    await godot.command('scale', { objectId: 'obj_5', scale: [3, 3, 3] });
    const drifted = await godot.hash();
    expect(drifted).not.toBe(truth());
    const from = godot.events.length;
    const requests = sim.received.filter((m) => m.type === 'snapshot_request').length;
    sim.streamFrame();
    const done = await godot.waitFor((e) => e.event === 'tx_done', 15_000, from);
    expect(done.outcome).toBe('rolled_back');
    // exact rollback: the scene Godot holds right after the rollback (hashed in Godot before the
    // resync that follows) is the one it held before the transaction, drift included
    expect(done.hash).toBe(drifted);
    // obj_5 went DIRTY: its originator (the simulator) is asked to re-snapshot and answers at once;
    // the DIRTY mark clears and the orchestrator resyncs Godot
    await sim.until(() => sim.received.filter((m) => m.type === 'snapshot_request').length > requests, 'snapshot_request');
    await eventually(() => h.orch.control.state(viewer).objects.notClean.length === 0, 'DIRTY cleared by the re-snapshot', 15_000);
    await godot.waitFor((e) => e.event === 'resync' && e.hash === truth(), 15_000, from);
    expect(await godot.hash()).toBe(truth());
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

  it('a resync it cannot hold (an area light: Godot 3 has none) is answered with TARGET_FAILED naming it, shown on Godot until a resync it holds', async () => {
    const viewer = { name: 'vic', role: 'viewer' as const };
    const cannotHold = () => h.orch.control.state(viewer).engines.find((e) => e.name === 'godot')!.cannotHold;
    const lamp: SceneObject = {
      id: 'obj-area',
      name: 'AreaLamp',
      type: 'light',
      parent: null,
      transform: { position: [0, 3, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
      mesh: null,
      materials: [],
      light: { kind: 'area', color: [1, 1, 1], intensity: 40, range: null, spot: null },
    };
    // the simulator holds the lamp too, so the re-snapshot that follows the rollback carries it
    const before = sim.scene.toScene();
    sim.scene.replace({ ...before, objects: [...before.objects, lamp] });
    const from = godot.events.length;
    sim.send('batch', { mutations: [{ mid: 'area1', targets: ['godot'], op: 'create', object: lamp }] });
    expect((await godot.waitFor((e) => e.event === 'tx_done', 15_000, from)).outcome).toBe('rolled_back');
    await eventually(() => cannotHold() !== null, 'Godot says what it could not hold', 20_000);
    expect(cannotHold()!.message).toBe('resync: 1 objects held differently than sent: AreaLamp');
    expect(h.orch.healthz()).toMatchObject({ targetsNotHolding: 1 });
    // the lamp goes, and a lead's forced resync is one Godot holds: the report goes with it
    sim.scene.replace(before);
    const del = sim.send('batch', { mutations: [{ mid: 'area2', targets: ['godot'], op: 'delete', objectId: 'obj-area' }] });
    await sim.waitFor('ack', (m) => m.body.ref === del);
    await eventually(() => !h.orch.brain.state.scene.objects.has('obj-area'), 'lamp deleted');
    const mark = godot.events.length;
    await h.orch.control.call({ name: 'lena', role: 'lead' }, 'forceResync', { engine: 'godot', reason: 'lamp removed' });
    await godot.waitFor((e) => e.event === 'resync', 15_000, mark);
    expect(cannotHold()).toBeNull();
    expect(await godot.hash()).toBe(truth());
  });

  it('busy and ready: the orchestrator shows Godot BUSY, then HEALTHY again', async () => {
    const viewer = { name: 'vic', role: 'viewer' as const };
    const godotState = () => h.orch.control.state(viewer).engines.find((e) => e.name === 'godot')?.state;
    await godot.command('busy', { reason: 'loading', expectedMs: 5000 });
    await eventually(() => godotState() === 'BUSY', 'Godot BUSY');
    await godot.command('ready');
    await eventually(() => godotState() === 'HEALTHY', 'Godot HEALTHY');
  });

  it('a reload reconnects with generation + 1 and is resynced', async () => {
    const from = godot.events.length;
    await godot.command('reload');
    const welcome = await godot.waitFor((e) => e.event === 'welcome', 15_000, from);
    expect(welcome.generation).toBe(2);
    const resync = await godot.waitFor((e) => e.event === 'resync', 15_000, from);
    expect(resync.hash).toBe(truth());
    const viewer = { name: 'vic', role: 'viewer' as const };
    await eventually(() => h.orch.control.state(viewer).engines.find((e) => e.name === 'godot')?.generation === 2, 'generation 2 seen');
  });

  it('Godot killed mid-transaction: the Target failure row (rollback_broadcast, re-snapshot), then a fresh Godot is resynced', async () => {
    await godot.command('hold_tx');
    const from = godot.events.length;
    const requests = sim.received.filter((m) => m.type === 'snapshot_request').length;
    sim.streamFrame();
    const held = await godot.waitFor((e) => e.event === 'tx_held', 15_000, from);
    godot.kill();
    await godot.exited;
    const broadcast = await sim.waitFor('rollback_broadcast', (m) => m.body.txId === held.txId);
    expect(broadcast.body.reason).toMatch(/godot disconnected/);
    await sim.until(() => sim.received.filter((m) => m.type === 'snapshot_request').length > requests, 'snapshot_request');
    await godot.stop();
    const { token } = h.orch.tokens.issue('adapter', 'godot');
    godot = new GodotProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'godot', VIBESYNC_ROLES: 'target' });
    const resync = await godot.waitFor((e) => e.event === 'resync', 20_000);
    expect(resync.hash).toBe(truth());
    expect(await godot.hash()).toBe(truth());
  });
});

describe.skipIf(skip)('Godot source with the real orchestrator, the simulator as target', () => {
  let h: Harness;
  let target: SimAdapter;
  let godot: GodotProcess;

  beforeAll(async () => {
    h = await startHarness();
    target = await h.sim({ name: 'unity', roles: ['target'], objects: 0 });
    const { token } = h.orch.tokens.issue('adapter', 'godot');
    godot = new GodotProcess({
      VIBESYNC_URL: h.orch.url,
      VIBESYNC_TOKEN: token,
      VIBESYNC_NAME: 'godot',
      VIBESYNC_ROLES: 'source',
      VIBESYNC_TARGETS: 'unity',
    });
    await godot.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 20_000);
  });
  afterAll(async () => {
    await godot?.stop();
    await h?.stopAll();
  });

  it('a mesh made in Godot travels as a VSM1 blob: stored by the orchestrator byte for byte as TypeScript encodes Godot s surfaces', async () => {
    const from = godot.events.length;
    const box = await godot.command('add_box', { objectId: 'gd-box', name: 'Box', size: [2, 1, 0.5], color: [0.75, 0.25, 0.125, 1] });
    await godot.waitFor((e) => e.event === 'ack', 10_000, from);
    await target.until(() => target.scene.object('gd-box') !== undefined, 'box on the target');
    const held = h.orch.brain.state.scene.objects.get('gd-box')!;
    // what Godot's CubeMesh holds, read from its surfaces in Godot: triangles (wound counter-clockwise
    // on the wire, Godot's own clockwise reversed), UVs with v pointing up
    const mesh = box.mesh as { positions: number[]; sizes: number[]; corners: number[]; slots: number[]; uvs: number[] | null };
    const blob = encodeMesh({ positions: mesh.positions, faceSizes: mesh.sizes, corners: mesh.corners, slots: mesh.slots, uvs: mesh.uvs });
    expect(mesh.sizes.every((n) => n === 3)).toBe(true);
    expect(mesh.uvs).not.toBeNull();
    expect(held.type).toBe('mesh');
    expect(held.mesh).toEqual({
      vertexCount: mesh.positions.length / 3,
      faceCount: mesh.sizes.length,
      bounds: { min: [-1, -0.5, -0.25], max: [1, 0.5, 0.25] },
      geometryHash: meshBlobHash(blob),
      blob: true,
    });
    // ask, then send: Godot queried, the orchestrator needed it, the chunks arrived and were stored
    expect(godot.events.slice(from).find((e) => e.event === 'blob_stored')).toMatchObject({
      hash: held.mesh!.geometryHash,
      size: blob.length,
    });
    expect(new Uint8Array(readFileSync(join(h.dir, 'blobs', held.mesh!.geometryHash.slice(0, 2), held.mesh!.geometryHash)))).toEqual(blob);
    // a counter-clockwise face: its normal (right-hand rule) points away from the box's centre
    const p = (i: number) => mesh.positions.slice(3 * mesh.corners[i]!, 3 * mesh.corners[i]! + 3);
    for (let f = 0; f < mesh.sizes.length; f++) {
      const [a, b, c] = [p(3 * f), p(3 * f + 1), p(3 * f + 2)];
      const u = b.map((v, i) => v - a[i]!);
      const v = c.map((x, i) => x - a[i]!);
      const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
      const centre = [0, 1, 2].map((i) => (a[i]! + b[i]! + c[i]!) / 3);
      expect(n[0]! * centre[0]! + n[1]! * centre[1]! + n[2]! * centre[2]!, `face ${f} faces outwards`).toBeGreaterThan(0);
    }
    // its SpatialMaterial travels with it (colours exact in float32, so exact on the wire)
    expect(held.materials).toHaveLength(1);
    expect(h.orch.brain.state.scene.materials.get(held.materials[0]!)).toMatchObject({
      name: 'Box paint',
      baseColor: [0.75, 0.25, 0.125, 1],
    });
    expect(await godot.hash()).toBe(hashing.sceneHash(toScene(h.orch.brain.state.scene)));
    await target.until(() => target.sceneHash === hashing.sceneHash(toScene(h.orch.brain.state.scene)), 'target converged');
  });

  it('a mesh edited in Godot (in place, or replaced) is detected live: the target receives Godot s re-encoded blob and the hashes agree', async () => {
    const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
    const orchMesh = () => h.orch.brain.state.scene.objects.get('gd-edit')?.mesh;
    // after an edit: Godot's own re-encode of the mesh it holds reaches the target as a blob
    const arrives = async (what: string, previous?: string) => {
      await eventually(
        () => orchMesh() !== undefined && orchMesh()!.geometryHash !== previous,
        `${what}: new mesh at the orchestrator`,
        10_000,
      );
      const held = await godot.command('mesh', { objectId: 'gd-edit' });
      const blob = new Uint8Array(Buffer.from(held.blob as string, 'hex'));
      expect(orchMesh()!.geometryHash, what).toBe(meshBlobHash(blob));
      await target.until(() => target.blobs.has(meshBlobHash(blob)), `${what}: blob on the target`);
      expect(target.blobs.get(meshBlobHash(blob)), what).toEqual(blob);
      await target.until(() => target.sceneHash === truth(), `${what}: target converged`);
      expect(await godot.hash(), what).toBe(truth());
      return { hash: meshBlobHash(blob), held };
    };
    await godot.command('add_box', { objectId: 'gd-edit', name: 'Edited', size: [1, 1, 1] });
    const made = await arrives('made');
    // a CubeMesh resized in place: the same resource, rebuilt by Godot (its `changed` signal)
    await godot.command('resize_box', { objectId: 'gd-edit', size: [3, 1, 1] });
    const resized = await arrives('resized in place', made.hash);
    expect(orchMesh()!.bounds).toEqual({ min: [-1.5, -0.5, -0.5], max: [1.5, 0.5, 0.5] });
    // the mesh replaced by another resource: same geometry, same blob, so nothing travels
    const batches = godot.events.filter((e) => e.event === 'batch').length;
    await godot.command('to_array_mesh', { objectId: 'gd-edit' });
    expect((await godot.command('mesh', { objectId: 'gd-edit' })).class).toBe('ArrayMesh');
    expect((await godot.command('read', { objectId: 'gd-edit' })).object).toMatchObject({ mesh: { geometryHash: resized.hash } });
    expect(godot.events.filter((e) => e.event === 'batch').length).toBe(batches);
    // that ArrayMesh edited in place with a MeshDataTool (surface removed and committed again)
    const before = await godot.command('mesh', { objectId: 'gd-edit' });
    const nudged = await godot.command('nudge_in_place', { objectId: 'gd-edit', index: 0, by: [0, 0.25, 0] });
    const edited = await arrives('a vertex moved in place', resized.hash);
    expect(edited.held.blob).not.toBe(before.blob);
    expect((await godot.command('nudge_in_place', { objectId: 'gd-edit', index: 0, by: [0, -0.25, 0] })).meshId).toBe(nudged.meshId);
    await arrives('moved back', edited.hash);
    expect(orchMesh()!.geometryHash).toBe(resized.hash);
  });

  it('a texture set in Godot travels as a texture blob (ask, then send): an image file byte for byte, generated pixels as a PNG Godot encodes', async () => {
    const stored = (hash: string) => new Uint8Array(readFileSync(join(h.dir, 'blobs', hash.slice(0, 2), hash)));
    const material = () => h.orch.brain.state.scene.materials.get(h.orch.brain.state.scene.objects.get('gd-box')!.materials[0]!)!;
    // an image file (as one dragged into a material): the blob is the file's bytes
    const file = new Uint8Array(
      encodePng(
        3,
        2,
        Uint8Array.from({ length: 24 }, (_, k) => [10, 20, 30, 255][k % 4]!),
      ),
    );
    const path = join(h.dir, 'painted.png');
    writeFileSync(path, file);
    let from = godot.events.length;
    await godot.command('set_texture', { objectId: 'gd-box', slot: 'base_color', path });
    await eventually(() => material().textures.length === 1, 'the texture reaches the orchestrator', 10_000);
    expect(material().textures).toEqual([{ slot: 'base_color', width: 3, height: 2, hash: meshBlobHash(file), format: 'png', blob: true }]);
    expect(stored(meshBlobHash(file))).toEqual(file);
    expect(godot.events.slice(from).find((e) => e.event === 'blob_stored')).toMatchObject({ hash: meshBlobHash(file), size: file.length });
    // generated pixels (no file): Godot encodes them as a PNG, and that file travels
    from = godot.events.length;
    await godot.command('set_texture', { objectId: 'gd-box', slot: 'emission', width: 5, height: 4, fill: [1, 0, 1, 1] });
    await eventually(() => material().textures.length === 2, 'the generated texture reaches the orchestrator', 10_000);
    const emission = material().textures.find((t) => t.slot === 'emission')!;
    expect(emission).toMatchObject({ width: 5, height: 4, format: 'png', blob: true });
    const png = stored(emission.hash);
    expect(meshBlobHash(png)).toBe(emission.hash);
    expect(pngPixel(png, 4, 3)).toEqual([255, 0, 255, 255]);
    const truth = hashing.sceneHash(toScene(h.orch.brain.state.scene));
    expect(await godot.hash()).toBe(truth);
    await target.until(() => target.sceneHash === truth, 'target converged');
  });

  it('marks what it does not send: each node s notSynced reaches the orchestrator, /healthz counts them, a snapshot keeps them, a mesh edit carries a mark that comes or goes, and no mark is hashed', async () => {
    const scene = () => h.orch.brain.state.scene;
    const mark = (id: string) => scene().objects.get(id)?.notSynced;
    const truth = () => hashing.sceneHash(toScene(scene()));
    const unmarked = () => {
      const s = toScene(scene());
      return hashing.sceneHash({ ...s, objects: s.objects.map(({ notSynced: _, ...o }) => o) });
    };
    const EMPTY = 'travels as an empty with its transform';
    const SURFACES = 'not sent as faces (the mesh blob carries triangles only; their vertices travel loose)';
    const nodes: [id: string, what: string, parent: string | null][] = [
      ['gd-skel', 'skeleton', null],
      ['gd-skin', 'skinned', 'gd-skel'],
      ['gd-bone', 'bone_attachment', 'gd-skel'],
      ['gd-path', 'path', null],
      ['gd-csg', 'csg', null],
      ['gd-multi', 'multimesh', null],
      ['gd-grid', 'gridmap', null],
      ['gd-parts', 'particles', null],
      ['gd-sprite', 'sprite', null],
      ['gd-odd', 'odd_mesh', null],
      ['gd-frustum', 'frustum_camera', null],
    ];
    for (const [id, what, parent] of nodes) await godot.command('add_node', { objectId: id, name: id, what, parent });
    await eventually(() => nodes.every(([id]) => mark(id) !== undefined), 'every mark at the orchestrator', 15_000);
    const expected = {
      'gd-skel': { kind: 'armature', reason: `Skeleton (2 bones) not sent: ${EMPTY}; meshes bound to it travel in their rest pose` },
      'gd-skin': {
        kind: 'skinning',
        reason: 'skinned mesh (Skeleton "gd-skel", 2 bones): the mesh travels in its rest pose; the skin, bones and weights are not sent',
      },
      'gd-bone': {
        kind: 'bone_parent',
        reason: 'BoneAttachment follows bone "arm": travels as an empty at its current transform (the bone link is not sent)',
      },
      'gd-path': { kind: 'curve', reason: `Path curve (3 points) not sent: ${EMPTY}` },
      'gd-csg': { kind: 'other', reason: `CSG shape CSGBox not sent (its combined mesh is not read): ${EMPTY}` },
      'gd-multi': { kind: 'instance', reason: `MultiMeshInstance (5 instances of its mesh) not sent: ${EMPTY}` },
      'gd-grid': { kind: 'other', reason: `GridMap cells not sent: ${EMPTY}` },
      'gd-parts': { kind: 'other', reason: `CPUParticles emitter not sent: ${EMPTY}` },
      'gd-sprite': { kind: 'other', reason: `Sprite3D (its texture quad) not sent: ${EMPTY}` },
      'gd-odd': { kind: 'other', reason: `surfaces 1 (lines), 2 (triangle strip) ${SURFACES}` },
      'gd-frustum': { kind: 'other', reason: 'frustum projection (its offset) not sent: travels as a perspective camera' },
    };
    expect(Object.fromEntries(nodes.map(([id]) => [id, mark(id)]))).toEqual(expected);
    // what travels: the node as an empty, the skinned mesh in its rest pose, the faceless surfaces' vertices loose
    expect(nodes.map(([id]) => scene().objects.get(id)!.type)).toEqual([
      'empty',
      'mesh',
      'empty',
      'empty',
      'empty',
      'empty',
      'empty',
      'empty',
      'empty',
      'mesh',
      'camera',
    ]);
    expect(scene().objects.get('gd-skin')!.parent).toBe('gd-skel');
    expect(scene().objects.get('gd-odd')!.mesh).toMatchObject({ vertexCount: 9, faceCount: 1 });
    // the rule alone, on facts: losses join in one reason, the first kind wins, a long reason is cut to
    // 256 UTF-16 units (as the protocol counts them) without splitting a character past U+FFFF
    const rule = async (facts: Record<string, unknown>) => (await godot.command('not_synced', { facts })).mark;
    expect(await rule({ class: 'MeshInstance' })).toBeNull();
    expect(await rule({ skinned: true, blendShapes: 1, colors: true, keepWidth: false })).toEqual({
      kind: 'skinning',
      reason:
        'skinned mesh: the mesh travels in its rest pose; the skin, bones and weights are not sent; 1 blend shape not sent; vertex colours not sent',
    });
    const long = (await rule({ node: 'bone_attachment', class: 'BoneAttachment', bone: 'b'.repeat(199) + '😀'.repeat(20) })) as {
      kind: string;
      reason: string;
    };
    expect(long.kind).toBe('bone_parent');
    expect(long.reason.length).toBe(255); // 254 units and the ellipsis: the next 😀 (2 units) would pass 256
    expect(long.reason).toMatch(/^BoneAttachment follows bone "b+(😀)+…$/u);
    const counts = { objects: 11, byKind: { armature: 1, skinning: 1, bone_parent: 1, curve: 1, instance: 1, other: 6 } };
    expect(h.orch.healthz().notSynced).toEqual(counts);
    // never hashed: Godot's hash, computed without marks, is the orchestrator's with and without them
    expect(await godot.hash()).toBe(truth());
    expect(unmarked()).toBe(truth());
    await target.until(() => target.sceneHash === truth(), 'target converged');

    // a snapshot from Godot, adopted (a reviewer asks for one: it replaces Godot's objects), carries the same marks
    const snapshots = () => h.orch.brain.state.audit.filter((a) => a.kind === 'snapshot' && a.reason === 'requested').length;
    const taken = snapshots();
    const reviewer = { name: 'rita', role: 'reviewer' as const };
    await h.orch.control.call(reviewer, 'requestResnapshot', { objectId: 'gd-skel', reason: 'marks' });
    await eventually(() => snapshots() > taken, 'the snapshot adopted', 10_000);
    expect(Object.fromEntries(nodes.map(([id]) => [id, mark(id)]))).toEqual(expected);
    expect(h.orch.healthz().notSynced).toEqual(counts);

    // a mark alone changes (keep_aspect says the camera's fov is horizontal): sent, the hash unchanged
    const hash = await godot.hash();
    await godot.command('camera_aspect', { objectId: 'gd-frustum', aspect: 'width' });
    await eventually(() => mark('gd-frustum')!.reason.includes('Keep Width'), 'the changed mark arrived', 10_000);
    expect(mark('gd-frustum')!.reason).toBe(
      `${expected['gd-frustum'].reason}; keep_aspect is Keep Width: its horizontal fov travels as the vertical field of view`,
    );
    expect(await godot.hash()).toBe(hash);
    expect(truth()).toBe(hash);

    // a mesh edit that adds what the blob cannot carry: the set_props {mesh} carries the mark, and clears it
    const box = () => scene().objects.get('gd-box')!;
    const geometry = box().mesh!.geometryHash;
    await godot.command('remesh', { objectId: 'gd-box', colors: true, uv2: true });
    await eventually(() => mark('gd-box') !== undefined, 'vertex colours and UV2 marked', 10_000);
    expect(mark('gd-box')).toEqual({
      kind: 'other',
      reason: 'second UV channel (UV2, e.g. lightmap UVs) not sent; vertex colours not sent',
    });
    expect(box().mesh!.geometryHash).toBe(geometry); // the same blob: only the mark travelled
    expect(await godot.hash()).toBe(truth());
    const from = target.received.length;
    await godot.command('remesh', { objectId: 'gd-box', lines: true });
    await eventually(() => mark('gd-box')?.reason.startsWith('surface 1') === true, 'the lines surface marked', 10_000);
    expect(mark('gd-box')).toEqual({ kind: 'other', reason: `surface 1 (lines) ${SURFACES}` });
    expect(box().mesh!.geometryHash).not.toBe(geometry);
    await target.until(() => target.sceneHash === truth(), 'target converged after the lines');
    const props = target.received
      .slice(from)
      .flatMap((m) => (m.type === 'tx_begin' ? (m.body.mutations as Mutation[]) : []))
      .flatMap((m) => (m.op === 'set_props' && m.objectId === 'gd-box' ? [m.props] : []));
    expect(props).toContainEqual({ mesh: box().mesh, notSynced: mark('gd-box') });
    await godot.command('remesh', { objectId: 'gd-box', lines: false });
    await eventually(() => mark('gd-box') === undefined, 'the mark cleared', 10_000);
    expect(box().mesh!.geometryHash).toBe(geometry);
    expect(h.orch.healthz().notSynced).toEqual(counts);
    expect(await godot.hash()).toBe(truth());
    await target.until(() => target.sceneHash === truth(), 'target converged');
  });
});
