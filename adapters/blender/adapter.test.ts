// The Blender add-on in real headless Blender against a scripted orchestrator: every frame it sends
// is checked against the strict protocol schema, and its hashes against the TypeScript hashing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import type { Mutation, Scene } from '../../shared/protocol/index.js';
import { commitPatch, fromScene, planMutations, toScene, txStateOf } from '../../electron/core/brain/scene-model.js';
import { BlenderProcess } from './testing/blender-process.js';
import { FakeBrain } from './testing/fake-brain.js';
import { skipWithoutBlender } from './testing/require-blender.js';

const skip = skipWithoutBlender('Blender adapter tests (adapter.test.ts)');

/** Whichever settles first; the other one's later timeout is not an unhandled rejection. */
function first(...waits: Promise<unknown>[]): Promise<unknown> {
  for (const w of waits) w.catch(() => {});
  return Promise.race(waits);
}

describe.skipIf(skip)('Blender add-on against a scripted orchestrator', () => {
  const brain = new FakeBrain();
  let blender: BlenderProcess;
  let scene: Scene;
  const byName = (name: string) => scene.objects.find((o) => o.name === name)!;
  const mut = (m: Record<string, unknown>) => ({ mid: `m-${Math.random().toString(36).slice(2)}`, targets: ['blender'], ...m }) as Mutation;
  const expectedTxHash = (mutations: Mutation[]) => hashing.txHash(txStateOf(planMutations(fromScene(scene, 'blender'), mutations).steps));
  /** What the orchestrator's scene becomes once `mutations` commit. */
  const commit = (mutations: Mutation[]) => {
    const state = fromScene(scene, 'blender');
    commitPatch(state, planMutations(state, mutations), 'blender');
    scene = toScene(state);
  };

  beforeAll(async () => {
    await brain.start();
    blender = new BlenderProcess({
      VIBESYNC_URL: brain.url,
      VIBESYNC_TOKEN: 'x'.repeat(32),
      VIBESYNC_NAME: 'blender',
      VIBESYNC_TARGETS: 'sim',
      VIBESYNC_GENERATION: '7',
    });
  });
  afterAll(async () => {
    await blender?.stop();
    brain.close();
  });

  it('handshakes with its generation, heartbeats, and sends a snapshot whose hash the TypeScript hashing reproduces', async () => {
    const hello = await brain.waitFor('handshake');
    expect(hello.session).toBeNull();
    expect(hello.body).toMatchObject({
      name: 'blender',
      engine: { kind: 'blender', version: expect.stringMatching(/^3\.4/) },
      roles: ['source', 'target'],
      generation: 7,
    });
    const snap = await brain.waitFor('snapshot');
    expect(snap.body.reason).toBe('initial');
    expect(snap.gen).toBe(7);
    expect(snap.session).toBe('s-0');
    expect(hashing.sceneHash(snap.body.scene)).toBe(snap.body.hash);
    expect(snap.body.scene.objects.map((o) => o.name).sort()).toEqual(['Camera', 'Cube', 'Light']);
    const cube = snap.body.scene.objects.find((o) => o.name === 'Cube')!;
    expect(cube.mesh).toMatchObject({ vertexCount: 8, faceCount: 6, bounds: { min: [-1, -1, -1], max: [1, 1, 1] } });
    scene = snap.body.scene;
    await brain.waitFor('heartbeat', (m) => m.body.seq >= 2);
    expect(brain.violations).toEqual([]);
    // the sidebar says what it counts: a snapshot is never acked (by the protocol), so nothing is in flight
    await blender.exec(
      'import time\nfrom vibesync_blender.core import status\nemit({"event": "panel", "lines": [t for t, _ in status.panel_lines(adapter, time.time())]})',
    );
    const panel = blender.events.find((e) => e.event === 'panel')!.lines as string[];
    expect(panel).toContain('In flight: 0 not yet acknowledged, 0 transactions open');
    expect(panel.join('\n')).not.toContain('Pending');
  });

  it('applies a transaction in its sandbox, reports the hash the orchestrator expects, commits, and does not echo it back', async () => {
    const cube = byName('Cube');
    const mutations = [
      mut({
        op: 'upsert_material',
        material: { id: 'mat-gold', name: 'Gold', baseColor: [1, 0.766, 0.336, 1], metallic: 1, roughness: 0.25, textures: [] },
      }),
      mut({ op: 'set_transform', objectId: cube.id, transform: { position: [0.5, 1.23456, -2], rotation: [0, 0.3826834, 0, 0.9238795] } }),
      mut({ op: 'set_props', objectId: cube.id, props: { materials: ['mat-gold'] } }),
      mut({
        op: 'create',
        object: {
          id: 'obj-pillar',
          name: 'Pillar',
          type: 'mesh',
          parent: cube.id,
          transform: { position: [0, 2, 0], rotation: [0, 0, 0, 1], scale: [1, 3, 1] },
          mesh: { vertexCount: 1200, faceCount: 1100, geometryHash: 'e'.repeat(64), bounds: { min: [-0.5, 0, -0.5], max: [0.5, 2, 0.5] } },
          materials: ['mat-gold'],
        },
      }),
    ];
    const from = brain.messages.length;
    brain.send(brain.latest, 'tx_begin', { txId: 'tx-1', source: 'sim', mutations }, 7);
    const h = await brain.waitFor('tx_hash', (m) => m.body.txId === 'tx-1', from);
    expect(h.body.hash).toBe(expectedTxHash(mutations));
    brain.send(brain.latest, 'tx_commit', { txId: 'tx-1' }, 7);
    expect((await brain.waitFor('tx_done', (m) => m.body.txId === 'tx-1', from)).body.outcome).toBe('committed');
    commit(mutations);
    expect(await blender.eval<string[]>('sorted(o.name for o in bpy.context.scene.objects)')).toEqual([
      'Camera',
      'Cube',
      'Light',
      'Pillar',
    ]);

    // a real edit afterwards: only the camera reaches the stream (the applied transaction is not echoed)
    const before = brain.messages.length;
    await blender.exec('bpy.data.objects["Camera"].location = (1.0, 2.0, 3.0)');
    const streamed = await brain.waitFor('mutation', () => true, before);
    expect(streamed.body.mutation).toMatchObject({
      op: 'set_transform',
      objectId: byName('Camera').id,
      targets: ['sim'],
      transform: { position: [1, 3, -2] },
    });
    expect(brain.messages.slice(before).filter((m) => m.type === 'batch')).toEqual([]);
    commit([streamed.body.mutation]);
    expect(brain.violations).toEqual([]);
  });

  it('rolls back exactly when the orchestrator rejects its hash (Blender truncates a 100-character name)', async () => {
    const cube = byName('Cube');
    const before = await blender.eval<[string, number[]]>('[bpy.data.objects["Cube"].name, list(bpy.data.objects["Cube"].location)]');
    const mutations = [
      mut({ op: 'set_props', objectId: cube.id, props: { name: 'N'.repeat(100) } }),
      mut({ op: 'set_transform', objectId: cube.id, transform: { position: [9, 9, 9] } }),
    ];
    const from = brain.messages.length;
    brain.send(brain.latest, 'tx_begin', { txId: 'tx-2', source: 'agent', mutations }, 7);
    const h = await brain.waitFor('tx_hash', (m) => m.body.txId === 'tx-2', from);
    expect(h.body.hash).not.toBe(expectedTxHash(mutations));
    brain.send(brain.latest, 'tx_rollback', { txId: 'tx-2', reason: 'HASH_MISMATCH' }, 7);
    expect((await brain.waitFor('tx_done', (m) => m.body.txId === 'tx-2', from)).body.outcome).toBe('rolled_back');
    expect(await blender.eval('[bpy.data.objects["Cube"].name, list(bpy.data.objects["Cube"].location)]')).toEqual(before);
    brain.send(brain.latest, 'snapshot_request', { reason: 'mandatory re-snapshot', objectIds: null }, 7);
    const snap = await brain.waitFor('snapshot', (m) => m.body.reason === 'requested', from);
    expect(snap.body.scene.objects.find((o) => o.id === cube.id)).toEqual(cube);
    expect(snap.body.hash).toBe(hashing.sceneHash(scene));
  });

  it('a snapshot requested while a transaction is open waits for it to close, and carries the committed scene, not the sandbox', async () => {
    const cube = byName('Cube');
    const mutations = [
      mut({ op: 'set_props', objectId: cube.id, props: { name: 'R'.repeat(100) } }),
      mut({ op: 'set_transform', objectId: cube.id, transform: { position: [7, 7, 7] } }),
    ];
    const from = brain.messages.length;
    const events = blender.events.length;
    brain.send(brain.latest, 'tx_begin', { txId: 'tx-2b', source: 'agent', mutations }, 7);
    await brain.waitFor('tx_hash', (m) => m.body.txId === 'tx-2b', from);
    // the orchestrator asks for the re-snapshot before it sends the rollback (it may do either)
    brain.send(brain.latest, 'snapshot_request', { reason: 'mandatory re-snapshot', objectIds: [cube.id] }, 7);
    await first(
      blender.waitFor((e) => e.event === 'snapshot_deferred', 10_000, events),
      brain.waitFor('snapshot', () => true, from),
    );
    expect(brain.messages.slice(from).filter((m) => m.type === 'snapshot')).toEqual([]);
    brain.send(brain.latest, 'tx_rollback', { txId: 'tx-2b', reason: 'HASH_MISMATCH' }, 7);
    const snap = await brain.waitFor('snapshot', (m) => m.body.reason === 'requested', from);
    const done = await brain.waitFor('tx_done', (m) => m.body.txId === 'tx-2b', from);
    expect(brain.messages.indexOf(done)).toBeLessThan(brain.messages.indexOf(snap));
    expect(snap.body.scene.objects.find((o) => o.id === cube.id)).toEqual(cube);
    expect(snap.body.hash).toBe(hashing.sceneHash(scene));
    expect(brain.violations).toEqual([]);
  });

  it("applies an approved script's result as an ordinary transaction: the mutations its sandbox run produced, never code", async () => {
    const cube = byName('Cube');
    // what `o = scene.objects[id]; o.position = (x + 1, y, z); o.name = "Cube2"` produces in the orchestrator
    const mutations = [
      mut({
        op: 'set_transform',
        objectId: cube.id,
        transform: { position: [cube.transform.position[0] + 1, ...cube.transform.position.slice(1)] as [number, number, number] },
      }),
      mut({ op: 'set_props', objectId: cube.id, props: { name: 'Cube2' } }),
    ];
    const from = brain.messages.length;
    brain.send(brain.latest, 'tx_begin', { txId: 'tx-4', source: 'claude', mutations }, 7);
    const h = await brain.waitFor('tx_hash', (m) => m.body.txId === 'tx-4', from);
    expect(h.body.hash).toBe(expectedTxHash(mutations));
    brain.send(brain.latest, 'tx_commit', { txId: 'tx-4' }, 7);
    await brain.waitFor('tx_done', (m) => m.body.txId === 'tx-4', from);
    commit(mutations);
    expect(await blender.eval('bpy.data.objects["Cube2"].location[0]')).toBeCloseTo(1.5, 5);
    expect(brain.violations).toEqual([]);
  });

  it('keeps vibesync ids through undo: the stream after Ctrl+Z is the undone change, never delete + create', async () => {
    const cube = byName('Cube2');
    const streamed = async (from: number, pred: (m: Mutation) => boolean) => {
      const msg = await brain.waitFor('mutation', (m) => pred(m.body.mutation), from);
      commit([msg.body.mutation]);
      return msg.body.mutation;
    };
    let from = brain.messages.length;
    // the empty is stamped by the adapter after this undo step was pushed: undo brings it back without an id
    await blender.exec(
      'bpy.ops.ed.undo_push(message="before")\nm = bpy.data.objects.new("Marker", None)\nbpy.context.scene.collection.objects.link(m)\nbpy.ops.ed.undo_push(message="add marker")',
    );
    const created = await streamed(from, (m) => m.op === 'create');
    const markerId = created.op === 'create' ? created.object.id : '';
    from = brain.messages.length;
    await blender.exec('bpy.data.objects["Cube2"].location.x += 2\nbpy.ops.ed.undo_push(message="move the cube")');
    await streamed(from, (m) => m.op === 'set_transform');
    from = brain.messages.length;
    await blender.exec('bpy.ops.ed.undo()');
    await first(
      brain.waitFor('mutation', () => true, from),
      brain.waitFor('batch', () => true, from),
    );
    const ops = brain.messages
      .slice(from)
      .flatMap((m) => (m.type === 'mutation' ? [m.body.mutation.op] : m.type === 'batch' ? m.body.mutations.map((x) => x.op) : []));
    expect(ops).toEqual(['set_transform']);
    const back = await streamed(from, (m) => m.op === 'set_transform');
    expect(back).toMatchObject({ objectId: cube.id, transform: { position: cube.transform.position } });
    await brain.waitFor('ready', () => true, from);
    expect(brain.messages.slice(from).map((m) => m.type)).toContain('busy');
    expect(await blender.eval('{o.name: o.get("vibesync_id") for o in bpy.context.scene.objects}')).toEqual(
      Object.fromEntries(scene.objects.map((o) => [o.name, o.id])),
    );
    expect(markerId).toBe(byName('Marker').id);
    expect(brain.violations).toEqual([]);
  });

  it('resyncs to the orchestrator scene, and re-handshakes with a new generation after a file reload', async () => {
    const from = brain.messages.length;
    const target: Scene = { objects: scene.objects.filter((o) => o.name === 'Camera'), materials: [] };
    brain.send(brain.latest, 'resync', { reason: 'Brain > Limb', scene: target, hash: hashing.sceneHash(target) }, 7);
    await blender.waitFor((e) => e.event === 'resynced' && e.equal === true);
    expect(await blender.eval('sorted(o.name for o in bpy.context.scene.objects)')).toEqual(['Camera']);
    await blender.exec('bpy.ops.wm.read_homefile(use_empty=False)');
    const hello = await brain.waitFor('handshake', (m) => m.body.generation === 8, from);
    expect(hello.gen).toBe(8);
    expect(brain.messages.slice(from).some((m) => m.type === 'busy' && m.body.reason === 'loading')).toBe(true);
    const snap = await brain.waitFor('snapshot', (m) => m.gen === 8, from);
    expect(snap.session).toBe(`s-${brain.connections.length - 1}`);
    expect(brain.violations).toEqual([]);
  });

  it('reconnects with backoff after the connection drops, with the same generation, and snapshots again', async () => {
    const from = brain.messages.length;
    const before = brain.connections.length;
    brain.latest.terminate();
    const hello = await brain.waitFor('handshake', () => true, from);
    expect(hello.body.generation).toBe(8);
    expect(brain.connections.length).toBe(before + 1);
    await brain.waitFor('snapshot', (m) => m.session === `s-${before}`, from);
    expect(brain.violations).toEqual([]);
  });

  it('a resync that arrives while the initial snapshot waits for its blobs answers it: an edit made then is sent as a mutation, not folded into a late snapshot', async () => {
    const from = brain.messages.length;
    const events = blender.events.length;
    const before = brain.connections.length;
    brain.holdBlobQueries = true;
    brain.latest.terminate();
    await brain.waitFor('blob_query', () => true, from);
    const session = `s-${before}`;
    const ws = brain.latest;
    const known = (await brain.waitFor('handshake', () => true, from)).body.generation;
    const held: Scene = { objects: scene.objects, materials: scene.materials };
    brain.send(ws, 'resync', { reason: 'Brain > Limb', scene: held, hash: hashing.sceneHash(held) }, known);
    await blender.waitFor((e) => e.event === 'resynced' && e.equal === true, 15_000, events);
    await blender.exec('bpy.data.objects["Camera"].location.x = 2.5');
    const camera = byName('Camera').id;
    // one change goes as a `mutation` (a batch carries several)
    const sent = await brain.waitFor(
      'mutation',
      (m) => m.session === session && m.body.mutation.op === 'set_transform' && m.body.mutation.objectId === camera,
      from,
    );
    expect(sent.body.mutation).toMatchObject({
      op: 'set_transform',
      transform: { position: [2.5, expect.any(Number), expect.any(Number)] },
    });
    brain.answerHeldQueries();
    const beat = (await brain.waitFor('heartbeat', (m) => m.session === session, from)).body.seq;
    await brain.waitFor('heartbeat', (m) => m.session === session && m.body.seq >= beat + 3, from);
    expect(brain.messages.slice(from).filter((m) => m.type === 'snapshot' && m.session === session)).toEqual([]);
    expect(brain.violations).toEqual([]);
  });

  it('a resync it cannot hold exactly is answered with a typed TARGET_FAILED naming the object (the hash is its own, never the one sent)', async () => {
    const from = brain.messages.length;
    const events = blender.events.length;
    const gen = (await brain.waitFor('heartbeat', () => true, from)).gen;
    const camera = byName('Camera');
    const sent: Scene = { objects: [{ ...camera, name: 'N'.repeat(100) }], materials: [] }; // Blender keeps 63 bytes of a name
    const id = brain.send(brain.latest, 'resync', { reason: 'Brain > Limb', scene: sent, hash: hashing.sceneHash(sent) }, gen);
    const err = await brain.waitFor('error', (m) => m.body.ref === id, from);
    expect(err.body).toMatchObject({ code: 'TARGET_FAILED', txId: null });
    expect(err.body.message).toBe(`resync: 1 object(s) held differently than sent: ${'N'.repeat(100)}`);
    expect(blender.events.slice(events).find((e) => e.event === 'resynced')).toMatchObject({ equal: false });
    expect(brain.violations).toEqual([]);
  });
});
