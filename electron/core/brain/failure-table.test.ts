// failure-modes.md §1 and §2, row by row, over real WebSocket connections with the reference
// simulator and an injected clock. Test names start with the row they prove (docs/failure-modes.md
// is the traceability matrix; failure-docs.test.ts checks that every name it lists exists).
import { afterEach, describe, expect, it } from 'vitest';
import { EMERGENCY_ACK } from '../../../shared/ipc/index.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const viewer = { name: 'vic', role: 'viewer' as const };
const state = () => h.orch.control.state(viewer);
const engine = (name: string) => state().engines.find((e) => e.name === name);
const audit = async (kinds: string[]) => (await h.orch.control.call(viewer, 'queryAudit', { kinds, limit: 20 })).entries;
/** Long enough that the heartbeat breaker stays out of tests about something else. */
const NO_BREAKER = { heartbeatTimeoutMs: 3_600_000 };

describe('§1 Terminal failures', () => {
  it("Contract Violation: an illegal (unknown) field panics and revokes the adapter's token", async () => {
    h = await startHarness();
    const bad = await h.sim({ name: 'godot', roles: ['target'] });
    bad.sendRaw(
      JSON.stringify({ v: 1, id: 'x1', session: bad.session, gen: 1, ts: 0, type: 'heartbeat', body: { seq: 1, exploit: true } }),
    );
    await bad.until(() => bad.closed !== null, 'closed');
    expect(bad.closed!.code).toBe(4001);
    await eventually(() => state().orchestrator.panic?.failure === 'Contract Violation', 'PANIC');
    expect(state().orchestrator.panic!.cause).toContain('UNKNOWN_FIELD');
    expect(
      h.orch.tokens
        .list()
        .filter((t) => t.name === 'godot')
        .every((t) => t.revokedAt !== null),
    ).toBe(true);
    expect((await audit(['panic']))[0]).toMatchObject({ terminal: true });
  });

  it('Contract Violation by an AI agent: only that agent PANICs (quarantined, token revoked, session closed); a source → target stream keeps committing; the PANIC survives a restart', async () => {
    h = await startHarness({ config: NO_BREAKER });
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    agent.sendRaw('{"v":1,"id":"x","type":"proposal","body":');
    await agent.until(() => agent.closed !== null, 'agent closed');
    expect(agent.closed!.code).toBe(4001);
    await eventually(() => engine('claude')?.state === 'PANIC', 'agent PANIC');
    expect(engine('claude')!.panic).toMatchObject({ failure: 'Contract Violation', scope: 'agent', engine: 'claude' });
    expect(engine('claude')!.quarantineUntil).not.toBeNull();
    expect(state().orchestrator).toMatchObject({ state: 'RUNNING', panic: null });
    expect(h.orch.tokens.list().find((t) => t.name === 'claude')!.revokedAt).not.toBeNull();

    const committed = target.committed;
    for (let i = 0; i < 3; i++) {
      const sent = source.streamFrame();
      expect(sent.length).toBeGreaterThan(0);
    }
    await target.until(() => target.committed > committed, 'the stream keeps committing on the target');
    await eventually(() => target.sceneHash === source.sceneHash, "the target's hash follows the source");

    await h.orch.brain.whenDurable();
    for (const s of h.sims) s.crash();
    await h.orch.close();
    await h.restart();
    expect(state().orchestrator.state).toBe('RUNNING');
    expect(engine('claude')).toMatchObject({ state: 'PANIC', panic: { failure: 'Contract Violation', scope: 'agent' } });
    expect((await audit(['panic']))[0]).toMatchObject({ terminal: true, actor: 'claude', role: 'agent' });
  });

  it("Contract Violation by an AI agent: an engine's PANIC still halts the orchestrator; emergency unlock clears that one and leaves the agent's, which only its token reset clears", async () => {
    h = await startHarness({ config: NO_BREAKER });
    const lead = { name: 'lena', role: 'lead' as const };
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    agent.sendRaw('{"v":1,');
    await eventually(() => engine('claude')?.panic?.scope === 'agent', 'agent PANIC');
    expect(state().orchestrator.state).toBe('RUNNING');
    await h.sim({ name: 'godot', roles: ['target'], scenario: 'malformed' });
    await eventually(() => state().orchestrator.panic?.engine === 'godot', 'orchestrator PANIC from the engine');
    expect(state().orchestrator.panic).toMatchObject({ failure: 'Contract Violation', scope: 'orchestrator' });
    await h.orch.control.call(lead, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'godot adapter fixed' });
    expect(state().orchestrator).toMatchObject({ state: 'RUNNING', panic: null });
    expect(engine('claude')).toMatchObject({ state: 'PANIC', panic: { scope: 'agent' } });
    await h.orch.control.call(lead, 'resetToken', { engine: 'claude', reason: 'agent prompt fixed' });
    expect(engine('claude')).toBeUndefined();
  });

  it('Generation Drift by an AI agent: only that agent PANICs (quarantined, token revoked, nothing LOCKED); a source → target stream keeps committing', async () => {
    h = await startHarness({ config: NO_BREAKER });
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 4 });
    await target.waitFor('resync');
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    agent.generation += 1; // the agent restarted without a new handshake
    agent.send('heartbeat', { seq: 99 });
    await agent.until(() => agent.closed !== null, 'agent closed');
    expect(agent.closed!.code).toBe(4001);
    expect(agent.received.find((m) => m.type === 'error')!.body).toMatchObject({ code: 'GENERATION_DRIFT' });
    await eventually(() => engine('claude')?.state === 'PANIC', 'agent PANIC');
    expect(engine('claude')!.panic).toMatchObject({ failure: 'Generation Drift', scope: 'agent', engine: 'claude' });
    expect(engine('claude')!.panic!.action).toContain('nothing is locked');
    expect(state().orchestrator).toMatchObject({ state: 'RUNNING', panic: null });
    expect(state().objects.counts.LOCKED).toBe(0);
    expect(h.orch.tokens.list().find((t) => t.name === 'claude')!.revokedAt).not.toBeNull();

    const committed = target.committed;
    expect(source.streamFrame().length).toBeGreaterThan(0);
    await target.until(() => target.committed > committed, 'the stream keeps committing on the target');
  });

  it('Contract Violation: the PANIC cause names the error code once (no "MALFORMED_JSON: MALFORMED_JSON:")', async () => {
    h = await startHarness();
    const bad = await h.sim({ name: 'godot', roles: ['target'], scenario: 'malformed' });
    await bad.until(() => bad.closed !== null, 'closed');
    await eventually(() => state().orchestrator.panic !== null, 'PANIC');
    const { cause } = state().orchestrator.panic!;
    const parseError = (() => {
      try {
        JSON.parse('{"v":1,"id":"broken","type":"heartbeat","body":{"seq":');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(cause).toBe(`MALFORMED_JSON: ${parseError}`);
    expect((await audit(['panic']))[0]!.summary).toBe(`Contract Violation: MALFORMED_JSON: ${parseError}`);
    expect(engine('godot')!.panic!.cause).toBe(cause);
  });

  it('Deadlock: a BUSY / reloading announcement pauses the breaker for the announced time', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock });
    const reloading = await h.sim({ name: 'unity', roles: ['target'], scenario: 'reloading', clock });
    await eventually(() => engine('unity')?.state === 'BUSY', 'BUSY announced');
    clock.advance(14_000); // silent for 14 s, but it said it needs 15 s
    expect(engine('unity')).toMatchObject({ breaker: 'closed' });
    clock.advance(10_000); // 24 s: within the announced 15 s plus the 10 s heartbeat limit
    expect(engine('unity')).toMatchObject({ breaker: 'closed' });
    clock.advance(1_002);
    expect(engine('unity')).toMatchObject({ state: 'DEGRADED', breaker: 'open' });
    expect(reloading.closed).toBeNull(); // halted, not disconnected: a lead resets it
    const told = await reloading.waitFor('error', (m) => m.body.code === 'HEARTBEAT_TIMEOUT');
    expect(told.body.message).toBe(
      'no message for 25001 ms, 10001 ms past the busy time it announced (limit 10000 ms): the circuit breaker is open and your pipeline is halted until a lead resets it',
    );
  });

  it('Trust Depletion: minor violations lower trust until the engine is QUARANTINED, and it returns after the cool-off', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, config: NO_BREAKER });
    const rogue = await h.sim({ name: 'unity', roles: ['target'], clock, scenario: 'silent' });
    const refused: string[] = [];
    for (let i = 0; i < 6; i++) {
      // A target may not write: FORBIDDEN_ROLE is the sender's fault, one penalty per second.
      const id = rogue.send('mutation', {
        mutation: { mid: `v${i}`, targets: ['godot'], op: 'set_transform', objectId: 'obj_0', transform: { position: [i, 0, 0] } },
      });
      refused.push((await rogue.waitFor('error', (m) => m.body.ref === id)).body.code);
      await eventually(() => engine('unity')?.trust === 50 - 5 * (i + 1), `penalty ${i + 1}`);
      clock.advance(1000);
    }
    expect(refused.every((c) => c === 'FORBIDDEN_ROLE')).toBe(true);
    expect(engine('unity')).toMatchObject({ state: 'QUARANTINED', trust: 20 });
    const [q] = await audit(['quarantine']);
    expect(q!.reason).toContain('Trust Depletion');
    clock.advance(60_000);
    expect(engine('unity')).toMatchObject({ state: 'HEALTHY', quarantineUntil: null, trust: 20, breaker: 'closed', panic: null });
    expect(state().orchestrator.state).toBe('RUNNING');
  });
});

describe('§2 Recoverable failures', () => {
  it('Resource Limit: a transfer over the configured vertex or texture limit is blocked with RESOURCE_LIMIT and changes nothing', async () => {
    h = await startHarness({ limits: { maxVertices: 1000, maxTextureSize: 2048 } });
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    const before = h.orch.brain.exportState();
    const base = target.scene.object('obj_1')!;
    // a summary alone (no blob: what an engine that sends no geometry reports); a blob's own count is checked on upload (blobs/blobs-refusals.test.ts)
    const { blob: _blob, ...summary } = base.mesh!;
    const huge = { ...base, id: 'huge', mesh: { ...summary, vertexCount: 1001 } };
    const a = source.send('mutation', { mutation: { mid: 'big', targets: ['unity'], op: 'create', object: huge } });
    const e1 = await source.waitFor('error', (m) => m.body.ref === a);
    expect(e1.body).toMatchObject({ code: 'RESOURCE_LIMIT', message: expect.stringContaining('1001 vertices exceeds the limit of 1000') });
    const texture = { slot: 'albedo', width: 4096, height: 4096, hash: 'a'.repeat(64) };
    const b = source.send('mutation', {
      mutation: {
        mid: 'tex',
        targets: ['unity'],
        op: 'upsert_material',
        material: { id: 'm_big', name: 'Big', baseColor: [1, 1, 1, 1], metallic: 0, roughness: 1, textures: [texture] },
      },
    });
    expect((await source.waitFor('error', (m) => m.body.ref === b)).body.message).toContain('4096x4096, limit 2048');
    const exported = h.orch.brain.exportState();
    // the scene, ID map, audit untouched, but for the trust the refusal cost (engines) and its audit line
    const penalties = exported.audit.filter((a) => a.kind === 'trust_penalty');
    expect(penalties.map((a) => a.reason)).toEqual([expect.stringContaining('RESOURCE_LIMIT')]);
    expect({ ...exported, engines: [], audit: exported.audit.filter((a) => a.kind !== 'trust_penalty') }).toEqual({
      ...before,
      engines: [],
    });
    expect(target.received.some((m) => m.type === 'tx_begin')).toBe(false);
    source.streamFrame(); // the engine is not punished beyond the refusal: the stream goes on
    await target.until(() => target.committed === 1, 'next frame committed');
  });

  it("Numerical Error: an Infinity (1e999) in a payload drops the command and re-fetches the source's state, without PANIC", async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], scenario: 'non-finite' });
    await target.waitFor('resync');
    source.streamFrame();
    await target.until(() => target.committed === 1, 'frame 1 committed');
    const sceneBefore = h.orch.brain.exportState().scene;
    expect(source.streamFrame()).toEqual([]); // frame 2: the scenario sends the 1e999 frame instead
    const err = await source.waitFor('error', (m) => m.body.code === 'NON_FINITE');
    expect(err.body.message).toMatch(/non-finite/);
    const req = await source.waitFor('snapshot_request');
    expect(req.body.reason).toContain('NaN/Infinity');
    await eventually(() => h.orch.brain.state.audit.some((a) => a.kind === 'snapshot' && a.reason === 'requested'), 'state re-fetched');
    expect(h.orch.brain.exportState().scene).toEqual(sceneBefore);
    expect(state().orchestrator.state).toBe('RUNNING');
    expect(engine('blender')!.state).toBe('HEALTHY');
    expect(source.closed).toBeNull();
    // the re-fetched scene, once adopted, resyncs the target (its second resync): a frame streamed
    // before that resync lands is folded into it rather than committed as its own transaction
    await target.until(() => target.received.filter((m) => m.type === 'resync').length === 2, 'target resynced to the re-fetched scene');
    source.streamFrame();
    await target.until(() => target.committed === 2, 'the stream goes on');
    expect(target.sceneHash).toBe(source.sceneHash);
  });

  it("Numerical Error: a bare NaN literal (as Python's json.dumps writes it) is dropped the same way, not a Contract Violation", async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene');
    source.sendRaw(`{"v":1,"id":"nan1","session":${JSON.stringify(source.session)},"gen":1,"ts":0,"type":"heartbeat","body":{"seq":NaN}}`);
    await source.waitFor('error', (m) => m.body.code === 'NON_FINITE');
    await source.waitFor('snapshot_request');
    expect(state().orchestrator.state).toBe('RUNNING');
    expect(
      h.orch.tokens
        .list()
        .filter((t) => t.name === 'blender')
        .every((t) => t.revokedAt === null),
    ).toBe(true);
  });

  it('Engine Busy: a mutation that meets a compiling engine (ENGINE_BUSY) is retried after the 2 s back-off', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, config: NO_BREAKER });
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'engine-busy', clock });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], clock });
    await target.waitFor('resync');
    source.streamFrame();
    await eventually(() => engine('unity')?.state === 'BUSY', 'BUSY after ENGINE_BUSY');
    const begins = () => target.received.filter((m) => m.type === 'tx_begin').length;
    expect(begins()).toBe(1);
    clock.advance(1999);
    // Timers fire synchronously in advance(): had the retry been due, the transaction would be in flight now.
    expect(h.orch.brain.sessions.get('unity')!.inflight).toBeNull();
    expect(begins()).toBe(1);
    clock.advance(1);
    await target.until(() => target.committed === 1, 'committed on the retry');
    expect(begins()).toBe(2);
    expect(target.sceneHash).toBe(source.sceneHash);
    expect(engine('unity')!.state).toBe('HEALTHY');
  });

  it('Engine Busy: a busy announcement holds the queue for its expectedMs, then the brain tries again', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, config: NO_BREAKER });
    const target = await h.sim({ name: 'unity', roles: ['target'], clock });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], clock });
    await target.waitFor('resync');
    target.send('busy', { reason: 'loading', expectedMs: 5000 });
    await eventually(() => engine('unity')?.state === 'BUSY', 'BUSY');
    source.streamFrame();
    await source.waitFor('ack');
    clock.advance(4999);
    expect(h.orch.brain.sessions.get('unity')!.inflight).toBeNull();
    expect(h.orch.brain.sessions.get('unity')!.queue.length).toBeGreaterThan(0);
    clock.advance(1);
    await target.until(() => target.committed === 1, 'sent once the announced time was over');
    expect(target.sceneHash).toBe(source.sceneHash);
  });
});
