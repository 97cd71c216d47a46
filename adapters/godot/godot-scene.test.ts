// Godot 3 (godot3-server) as a target of the real orchestrator (127.0.0.1, port 0, fresh data folder),
// fed by the TS simulator as source: the scene it takes on resync, the nodes it holds (Spatial,
// lights, cameras) and every streamed or AI-script transaction commit with Godot's scene hash,
// computed from the nodes it holds, equal to the orchestrator's; a notSynced mark from another
// engine is kept and never hashed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation, SceneObject } from '../../shared/protocol/index.js';
import type { Harness } from '../../test/support/harness.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import type { GodotEvent, GodotProcess } from './testing/godot-process.js';
import { orchestratorHash, startGodotTarget, VECTORS } from './testing/godot-suite.js';
import { skipWithoutGodot } from './testing/require-godot.js';

const skip = skipWithoutGodot('Godot target scene tests (adapters/godot/godot-scene.test.ts)');

describe.skipIf(skip)('Godot target with the real orchestrator, the simulator as source: scene and transactions', () => {
  let h: Harness;
  let sim: SimAdapter;
  let godot: GodotProcess;
  const truth = () => orchestratorHash(h);
  const events = (name: string) => godot.events.filter((e) => e.event === name);

  beforeAll(async () => {
    ({ h, sim, godot } = await startGodotTarget());
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
});
