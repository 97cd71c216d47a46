// Nothing a peer sends can kill or poison the orchestrator (issue 9's severe items), over real
// sockets: values the canonical form cannot hold are refused before any ack and nothing is
// written; structurally broken snapshots are refused; a token connects only as the engine it was
// issued for; an open breaker survives reconnects; a record that cannot be applied starts the
// orchestrator in PANIC instead of killing it; frequent restarts do not grow replay.
import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../shared/canonical/index.js';
import type { Scene, SceneObject } from '../shared/protocol/index.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { openWal } from '../electron/core/wal/index.js';
import { toScene } from '../electron/core/brain/scene-model.js';
import { eventually, startHarness, type Harness } from './support/harness.js';
import { join } from 'node:path';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stopAll();
  h = null;
});

const sceneState = (hh: Harness) => {
  const s = hh.orch.brain.exportState();
  return JSON.stringify({ scene: s.scene, origin: s.origin, ids: s.ids, sceneAdopted: s.sceneAdopted });
};
const healthy = (hh: Harness) => hh.orch.healthz();
const engineState = (hh: Harness, name: string) =>
  hh.orch.control.state({ name: 'test', role: 'viewer' }).engines.find((e) => e.name === name)?.state;

const obj = (id: string, parent: string | null, materials: string[] = []): SceneObject => ({
  id,
  name: id,
  type: 'empty',
  parent,
  transform: { position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
  mesh: null,
  materials,
});

async function sourceAndScene(hh: Harness, objects = 10) {
  const source = await hh.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects, seed: 3 });
  await eventually(() => hh.orch.brain.state.scene.objects.size === objects, 'the initial scene adopted');
  await hh.orch.brain.whenDurable();
  return source;
}

describe('values the canonical form cannot hold are refused before they are acknowledged (Numerical Error)', () => {
  const cases: Array<{ what: string; transform?: Record<string, number[]>; create?: boolean }> = [
    { what: 'a zero quaternion in set_transform', transform: { rotation: [0, 0, 0, 0] } },
    { what: 'a quaternion too short to normalise ([1e-200, 0, 0, 0])', transform: { rotation: [1e-200, 0, 0, 0] } },
    { what: 'a position of 1e13 m', transform: { position: [1e13, 0, 0] } },
    { what: 'a position of 1e308 m', transform: { position: [1e308, 0, 0] } },
    { what: 'a scale of 1e300', transform: { scale: [1e300, 1, 1] } },
    { what: 'a zero quaternion in create', create: true },
  ];
  for (const c of cases) {
    it(`${c.what}: error NON_FINITE naming the message, no ack, nothing written; a target then syncs and a restart replays`, async () => {
      h = await startHarness();
      const source = await sourceAndScene(h);
      const before = sceneState(h);
      const seqBefore = h.orch.brain.seq;
      const acked = source.stats.acked;
      const mutation = c.create
        ? {
            mid: 'm-bad',
            targets: ['unity'],
            op: 'create' as const,
            object: { ...obj('newbie', null), transform: { position: [0, 0, 0], rotation: [0, 0, 0, 0], scale: [1, 1, 1] } },
          }
        : { mid: 'm-bad', targets: ['unity'], op: 'set_transform' as const, objectId: 'obj_1', transform: c.transform! };
      const target = await h.sim({ name: 'unity', roles: ['target'] });
      // A valid set of values would be routed; these must not even reach the routing.
      const id = source.send('mutation', { mutation } as never);
      await source.until(() => source.stats.errors.some((e) => e.ref === id), 'the refusal');
      expect(source.stats.errors.find((e) => e.ref === id)).toMatchObject({ code: 'NON_FINITE' });
      await source.until(() => source.received.some((m) => m.type === 'snapshot_request'), 'snapshot_request');
      await h.orch.brain.whenDurable();
      expect(source.stats.acked).toBe(acked);
      expect(source.received.some((m) => m.type === 'ack' && m.body.ref === id)).toBe(false);

      // A second target handshakes and is resynced from a scene that hashes.
      target.crash();
      const late = new SimAdapter({
        url: h.orch.url,
        token: h.orch.tokens.issue('adapter', 'godot').token,
        name: 'godot',
        roles: ['target'],
      });
      h.sims.push(late);
      await late.connect();
      await late.until(() => late.received.some((m) => m.type === 'resync'), 'resync');
      expect(late.sceneHash).toBe(hashing.sceneHash(toScene(h!.orch.brain.state.scene)));
      expect(healthy(h)).toMatchObject({ orchestrator: 'RUNNING', panic: false });
      expect(sceneState(h)).toBe(before);
      expect(h.orch.brain.seq).toBeGreaterThanOrEqual(seqBefore);

      // Restart on the same data folder: replay, and a target is resynced again.
      for (const s of h.sims) s.crash();
      await h.orch.close();
      await h.restart();
      expect(healthy(h)).toMatchObject({ orchestrator: 'RUNNING', panic: false });
      const again = await h.sim({ name: 'godot2', roles: ['target'] });
      await again.until(() => again.received.some((m) => m.type === 'resync'), 'resync after restart');
      expect(again.sceneHash).toBe(hashing.sceneHash(toScene(h!.orch.brain.state.scene)));
      expect(sceneState(h)).toBe(before);
    });
  }
});

describe('snapshots get the structural checks mutations get', () => {
  const broken: Array<{ what: string; scene: Scene; reason: RegExp }> = [
    { what: 'a parent cycle', scene: { objects: [obj('cube', 'lamp'), obj('lamp', 'cube')], materials: [] }, reason: /cycle/ },
    { what: 'a dangling parent', scene: { objects: [obj('cube', 'ghost')], materials: [] }, reason: /parent "ghost"/ },
    { what: 'an unknown material', scene: { objects: [obj('cube', null, ['mat_x'])], materials: [] }, reason: /material "mat_x"/ },
    { what: 'a duplicate object id', scene: { objects: [obj('cube', null), obj('cube', null)], materials: [] }, reason: /appears twice/ },
  ];
  for (const b of broken) {
    it(`an initial snapshot with ${b.what} is refused (SCHEMA_VIOLATION) and never becomes the scene`, async () => {
      h = await startHarness();
      const source = new SimAdapter({
        url: h.orch.url,
        token: h.orch.tokens.issue('adapter', 'raw').token,
        name: 'raw',
        roles: ['source'],
        objects: 0,
      });
      h.sims.push(source);
      await source.connect();
      await eventually(() => h!.orch.brain.state.sceneAdopted, "the simulator's own initial snapshot adopted");
      await h.orch.brain.whenDurable();
      const before = sceneState(h);
      const id = source.send('snapshot', { reason: 'initial', scene: b.scene, hash: hashing.sceneHash(b.scene) });
      await source.until(() => source.stats.errors.some((e) => e.ref === id), 'the refusal');
      const err = source.stats.errors.find((e) => e.ref === id)!;
      expect(err.code).toBe('SCHEMA_VIOLATION');
      expect(err.message).toMatch(b.reason);
      await h.orch.brain.whenDurable();
      // (the simulator's own initial snapshot, one material, was adopted; the broken one changed nothing)
      expect(sceneState(h)).toBe(before);
      expect(h.orch.brain.state.scene.objects.size).toBe(0);
    });
  }

  it('a requested snapshot with a cycle is refused, and a generation mismatch afterwards is an ordinary PANIC (the process keeps answering)', async () => {
    h = await startHarness();
    const source = await sourceAndScene(h, 5);
    const before = sceneState(h);
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
    await source.until(() => source.received.some((m) => m.type === 'snapshot_request'), 'snapshot_request');
    const cyc: Scene = { objects: [obj('cube', 'lamp'), obj('lamp', 'cube')], materials: [] };
    const id = source.send('snapshot', { reason: 'requested', scene: cyc, hash: hashing.sceneHash(cyc) });
    await source.until(() => source.stats.errors.some((e) => e.ref === id), 'the refusal');
    expect(source.stats.errors.find((e) => e.ref === id)?.code).toBe('SCHEMA_VIOLATION');
    await h.orch.brain.whenDurable();
    expect(sceneState(h)).toBe(before);

    source.generation = 2;
    source.send('heartbeat', { seq: 2 });
    await eventually(() => healthy(h!).panic === true, 'generation drift PANIC');
    expect(engineState(h, 'blender')).toBe('PANIC');
    // The orchestrator is alive and answers.
    expect(h.orch.healthz()).toMatchObject({ panic: true });
  });
});

describe('a token connects only as what it was issued for, with a session cap', () => {
  it('an adapter token named tgt1 cannot connect as unity; a prefix token holds at most the cap', async () => {
    h = await startHarness({ config: { maxSessionsPerToken: 2 } });
    const tgt = h.orch.tokens.issue('adapter', 'tgt1').token;
    const squatter = new SimAdapter({ url: h.orch.url, token: tgt, name: 'unity', roles: ['target'] });
    await expect(squatter.connect()).rejects.toThrow(/AUTH_FAILED.*bound to "tgt1"/);
    squatter.crash();

    const prefix = h.orch.tokens.issue('adapter', 'farm-*').token;
    const a = new SimAdapter({ url: h.orch.url, token: prefix, name: 'farm-1', roles: ['target'] });
    const b = new SimAdapter({ url: h.orch.url, token: prefix, name: 'farm-2', roles: ['target'] });
    const c = new SimAdapter({ url: h.orch.url, token: prefix, name: 'farm-3', roles: ['target'] });
    const d = new SimAdapter({ url: h.orch.url, token: prefix, name: 'blender', roles: ['source'] });
    h.sims.push(a, b, c, d);
    await a.connect();
    await b.connect();
    await expect(c.connect()).rejects.toThrow(/RESOURCE_LIMIT.*2 sessions/);
    await expect(d.connect()).rejects.toThrow(/AUTH_FAILED/);
    expect(h.orch.healthz()).toMatchObject({ engines: 2 });
  });

  it('adapter and agent tokens must be issued under a name they can connect as', () => {
    return startHarness().then((hh) => {
      h = hh;
      expect(() => hh.orch.tokens.issue('adapter', 'My Engine')).toThrow(/SCHEMA_VIOLATION/);
      expect(() => hh.orch.tokens.issue('agent', 'claude code')).toThrow(/SCHEMA_VIOLATION/);
      expect(hh.orch.tokens.issue('reviewer', 'Ada Lovelace').token).toMatch(/^vs_reviewer_/);
    });
  });
});

describe('the heartbeat breaker is reset by a lead, never by reconnecting (Deadlock: Manual)', () => {
  it('a silent engine opens its breaker; reconnecting and restarting keep it open; the lead reset closes it', async () => {
    h = await startHarness({ config: { heartbeatTimeoutMs: 300, heartbeatMs: 100 } });
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'silent' });
    await eventually(() => engineState(h!, 'unity') === 'DEGRADED', 'breaker open', 5000);
    target.crash();
    await eventually(() => !h!.orch.brain.sessions.has('unity'), 'gone');
    // Gone but still needing a person: listed with its breaker open.
    expect(h.orch.control.state({ name: 't', role: 'viewer' }).engines.find((e) => e.name === 'unity')).toMatchObject({
      state: 'DEGRADED',
      breaker: 'open',
    });
    const back = await h.sim({ name: 'unity', roles: ['target'] });
    expect(engineState(h, 'unity')).toBe('DEGRADED');
    back.crash();
    await h.orch.brain.whenDurable();
    await h.orch.close();
    await h.restart({ config: { heartbeatTimeoutMs: 300, heartbeatMs: 100 } });
    const afterRestart = await h.sim({ name: 'unity', roles: ['target'] });
    expect(engineState(h, 'unity')).toBe('DEGRADED');
    const lead = { name: 'lead', role: 'lead' as const };
    const r = await h.orch.control.call(lead, 'resetBreaker', { engine: 'unity', reason: 'engine back after a hang' });
    expect(r).toEqual({ engine: 'unity' });
    await eventually(() => engineState(h!, 'unity') === 'HEALTHY', 'breaker closed');
    afterRestart.crash();
  });
});

describe('start-up and replay', () => {
  it('a record that passes its CRC but cannot be applied starts the orchestrator in PANIC; no adapter is admitted', async () => {
    h = await startHarness();
    await h.orch.close();
    const { log } = await openWal(join(h.dir, 'wal'));
    await log.append({
      t: 'accepted',
      at: 1,
      engine: 'blender',
      ref: 'x',
      pid: null,
      mutations: [{ mid: 'm', targets: ['unity'], op: 'set_transform', objectId: 'nobody', transform: { position: [1, 2, 3] } }],
    } as never);
    await log.close();
    await h.restart();
    expect(h.orch.healthz()).toMatchObject({ panic: true });
    expect(h.orch.control.state({ name: 't', role: 'viewer' }).orchestrator.panic?.cause).toMatch(/could not be applied.*UNKNOWN_OBJECT/);
    const s = new SimAdapter({ url: h.orch.url, token: h.orch.tokens.issue('adapter', 'unity').token, name: 'unity', roles: ['target'] });
    h.sims.push(s);
    await expect(s.connect()).rejects.toThrow(/PANIC/);
  });

  it('50 short runs on one data folder: replay stays within one snapshot plus compactEvery records', async () => {
    const compactEvery = 200;
    h = await startHarness({ config: { compactEvery } });
    const replayed: number[] = [];
    for (let run = 0; run < 50; run++) {
      // Each run writes fewer records than compactEvery, so only replayed records can trigger compaction.
      const records = Array.from({ length: 60 }, (_, i) => ({
        t: 'trust' as const,
        at: run * 1000 + i,
        engine: 'blender',
        delta: 0,
        reason: `run ${run}`,
      }));
      await h.orch.brain.write(records);
      await h.orch.brain.whenDurable();
      await h.orch.close();
      await h.restart({ config: { compactEvery } });
      replayed.push(h.orch.brain.walRecordsReplayed);
    }
    expect(Math.max(...replayed)).toBeLessThanOrEqual(compactEvery + 60);
    expect(replayed.at(-1)).toBeLessThanOrEqual(compactEvery + 60);
  });
});
