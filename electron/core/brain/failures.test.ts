import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMERGENCY_ACK } from '../../../shared/ipc/index.js';
import { SimAdapter } from '../../../adapters/sim/sim-adapter.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const viewer = { name: 'vic', role: 'viewer' as const };
const reviewer = { name: 'rita', role: 'reviewer' as const };
const lead = { name: 'lena', role: 'lead' as const };
const state = () => h.orch.control.state(viewer);
const engine = (name: string) => state().engines.find((e) => e.name === name);

describe('terminal failures', () => {
  it('Generation Drift: engine reload without handshake panics and locks the hierarchy; reconnect refused until a person acts; emergency unlock opens it', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 12 });
    await target.waitFor('resync');
    source.generation += 1; // the engine reloaded without a new handshake
    source.streamFrame();
    await source.until(() => source.closed !== null, 'session closed');
    expect((await source.waitFor('error')).body).toMatchObject({
      code: 'GENERATION_DRIFT',
      message: expect.stringContaining('envelope generation 2, handshaken generation 1'),
    });
    await eventually(() => state().orchestrator.state === 'PANIC', 'PANIC');
    expect(state().orchestrator.panic).toMatchObject({
      failure: 'Generation Drift',
      engine: 'blender',
      cause: expect.stringMatching(/^GENERATION_DRIFT: envelope generation 2/),
    });
    expect(state().objects.counts.LOCKED).toBe(12);
    expect(state().objects.notClean.every((o) => o.state === 'LOCKED')).toBe(true);
    expect(source.received.some((m) => m.type === 'ack')).toBe(false); // the drifted frame was not accepted

    const { token } = h.orch.tokens.issue('adapter', 'blender');
    const again = new SimAdapter({ url: h.orch.url, token, name: 'blender', roles: ['source'] });
    h.sims.push(again);
    await expect(again.connect()).rejects.toMatchObject({ code: 'PANIC' });

    await expect(
      h.orch.control.call(reviewer, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'engine restarted by hand' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(
      h.orch.control.call(lead, 'emergencyUnlock', { acknowledge: 'yes', reason: 'engine restarted by hand' }),
    ).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
    const res = await h.orch.control.call(lead, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'engine restarted by hand' });
    expect(res.unlocked).toHaveLength(12);
    expect(state().orchestrator.state).toBe('RUNNING');
    expect(state().objects.counts.LOCKED).toBe(0);
    await target.waitFor('resync', (m) => m.body.reason === 'emergency unlock');
    const { entries } = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['emergency_unlock'], limit: 5 });
    expect(entries).toMatchObject([{ actor: 'lena', role: 'lead', terminal: true, reason: 'engine restarted by hand' }]);
  });

  it("Generation Drift: a lead's token reset lets the engine reconnect, but the orchestrator stays in PANIC while its hierarchy is LOCKED; emergency unlock opens it", async () => {
    h = await startHarness();
    await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 12 });
    await eventually(() => h.orch.brain.sessions.get('unity') !== undefined && h.orch.brain.state.sceneAdopted, 'scene');
    source.generation += 1;
    source.streamFrame();
    await source.until(() => source.closed !== null, 'drifted session closed');
    await eventually(() => state().objects.counts.LOCKED === 12, 'hierarchy LOCKED');
    expect(state().orchestrator.panic!.action).toContain('A token reset (lead) alone lets it reconnect but leaves the hierarchy LOCKED');

    const { token } = await h.orch.control.call(lead, 'resetToken', { engine: 'blender', reason: 'blender reloaded by hand' });
    // The engine's own PANIC is cleared; the locks are not, so neither is the orchestrator's.
    expect(engine('blender')).toBeUndefined();
    expect(state().orchestrator).toMatchObject({ state: 'PANIC', panic: { failure: 'Generation Drift', engine: 'blender' } });
    expect(state().orchestrator.panic!.cause).toBe("12 subject(s) held by blender stay LOCKED after the engine's PANIC was cleared");
    expect(state().orchestrator.panic!.action).toContain('emergency unlock');
    expect(state().objects.counts.LOCKED).toBe(12);

    // The rule lives in the WAL reducer: a restarted orchestrator replays to the same PANIC.
    await h.orch.brain.whenDurable();
    for (const s of h.sims) s.crash();
    await h.orch.close();
    await h.restart();
    expect(state().orchestrator).toMatchObject({ state: 'PANIC', panic: { failure: 'Generation Drift' } });
    expect(state().objects.counts.LOCKED).toBe(12);

    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const back = new SimAdapter({ url: h.orch.url, token, name: 'blender', roles: ['source'], targets: ['unity'], objects: 12 });
    h.sims.push(back);
    await back.connect(); // the reset token is accepted: the engine is no longer in PANIC
    const refused = back.send('mutation', {
      mutation: { mid: 'after-reset', targets: ['unity'], op: 'set_transform', objectId: 'obj_1', transform: { position: [1, 2, 3] } },
    });
    const err = await back.waitFor('error', (m) => m.body.ref === refused);
    expect(err.body).toMatchObject({ code: 'PANIC', message: expect.stringContaining('orchestrator in PANIC (Generation Drift)') });

    const res = await h.orch.control.call(lead, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'blender state checked by hand' });
    expect(res.unlocked).toHaveLength(12);
    expect(state().orchestrator).toMatchObject({ state: 'RUNNING', panic: null });
    const accepted = back.send('mutation', {
      mutation: { mid: 'after-unlock', targets: ['unity'], op: 'set_transform', objectId: 'obj_1', transform: { position: [1, 2, 3] } },
    });
    await back.waitFor('ack', (m) => m.body.ref === accepted);
    await target.until(() => target.scene.object('obj_1')?.transform.position.join() === '1,2,3', 'the change reached unity');
    const kinds = (
      await h.orch.control.call(viewer, 'queryAudit', { kinds: ['panic', 'token_reset', 'emergency_unlock'], limit: 5 })
    ).entries.map((e) => e.kind);
    expect(kinds).toEqual(['emergency_unlock', 'token_reset', 'panic']);
  });

  it("Contract Violation: malformed JSON panics, revokes the adapter's token and closes the session; a lead's token reset lets it back", async () => {
    h = await startHarness();
    const bad = await h.sim({ name: 'godot', roles: ['target'], scenario: 'malformed' });
    await bad.until(() => bad.closed !== null, 'closed');
    await eventually(() => engine('godot')?.panic !== null && engine('godot')?.panic !== undefined, 'engine PANIC');
    expect(state().orchestrator.panic).toMatchObject({ failure: 'Contract Violation', engine: 'godot' });
    await eventually(() => !h.orch.brain.sessions.has('godot'), 'session gone');
    expect(engine('godot')!.state).toBe('PANIC'); // still listed while it needs a person
    expect(
      h.orch.tokens
        .list()
        .filter((t) => t.name === 'godot')
        .every((t) => t.revokedAt !== null),
    ).toBe(true);
    const { token } = await h.orch.control.call(lead, 'resetToken', { engine: 'godot', reason: 'adapter fixed' });
    const fixed = new SimAdapter({ url: h.orch.url, token, name: 'godot', roles: ['target'] });
    h.sims.push(fixed);
    await fixed.connect();
    expect(state().orchestrator.state).toBe('RUNNING');
  });
});

describe('heartbeat, busy, quarantine (ManualClock)', () => {
  it('Deadlock: no heartbeat for more than 10 s opens the circuit breaker (DEGRADED, routing refused with CIRCUIT_OPEN); a lead resets it', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock });
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'silent', clock });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    clock.advance(6000);
    const hb = source.send('heartbeat', { seq: 1 });
    await eventually(() => h.orch.brain.sessions.get('blender')!.lastSeenAt === clock.now(), `heartbeat ${hb} seen`);
    clock.advance(4000);
    expect(engine('unity')).toMatchObject({ state: 'HANDSHAKEN', breaker: 'closed' }); // silent exactly 10 s: not yet "more than"
    clock.advance(2);
    expect(engine('unity')).toMatchObject({ state: 'DEGRADED', breaker: 'open' });
    expect(engine('blender')!.state).toBe('HEALTHY');
    const id = source.send('mutation', {
      mutation: { mid: 'm1', targets: ['unity'], op: 'set_transform', objectId: 'obj_0', transform: { position: [1, 1, 1] } },
    });
    expect((await source.waitFor('error', (m) => m.body.ref === id)).body.code).toBe('CIRCUIT_OPEN');
    const { entries } = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['breaker_open'], limit: 5 });
    expect(entries[0]!.reason).toContain('Deadlock');

    await h.orch.control.call(lead, 'resetBreaker', { engine: 'unity', reason: 'engine restarted' });
    expect(engine('unity')).toMatchObject({ breaker: 'closed' });
    await target.waitFor('resync', (m) => m.body.reason === 'circuit breaker reset');
  });

  it('Engine Busy: a busy announcement holds the queue; ready releases it', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    target.send('busy', { reason: 'compiling', expectedMs: 3000 });
    await eventually(() => engine('unity')?.state === 'BUSY', 'BUSY');
    const sent = source.streamFrame();
    await source.waitFor('ack');
    expect(h.orch.brain.sessions.get('unity')!.queue).toHaveLength(sent.length);
    expect(target.received.some((m) => m.type === 'tx_begin')).toBe(false);
    target.send('ready', {});
    await target.until(() => target.committed === 1, 'committed after ready');
    expect(target.sceneHash).toBe(source.sceneHash);
  });

  it('Trust Depletion: rate-limit hits deplete trust → QUARANTINED (read-only) → automatic cool-off', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, rateLimit: { perSecond: 1, burst: 2 }, config: { heartbeatTimeoutMs: 3_600_000 } });
    // 'silent': its own timed heartbeats would spend the refilled tokens when the clock advances.
    const agent = await h.sim({ name: 'claude', roles: ['agent'], clock, scenario: 'silent' });
    const drops = vi.spyOn(h.orch.brain, 'rateLimited');
    for (let i = 0; i < 6; i++) agent.send('heartbeat', { seq: i }); // the transport drops 4 of these
    // the socket delivers one message per event-loop turn: wait for all six before the clock moves
    await eventually(() => drops.mock.calls.length === 4, 'four frames dropped');
    expect(engine('claude')?.trust).toBe(40); // one penalty for the episode
    // A flood costs one penalty per second however many frames are dropped: 10 trust each.
    const peer = h.orch.brain.sessions.get('claude')!.peer;
    for (let second = 2; second <= 3; second++) {
      clock.advance(1000);
      for (let i = 0; i < 50; i++) h.orch.brain.rateLimited(peer);
      expect(engine('claude')!.trust).toBe(50 - 10 * second);
    }
    expect(engine('claude')!.state).toBe('QUARANTINED'); // trust 20 < 25
    clock.advance(3000); // refill the bucket so the next frame reaches the brain
    const pid = agent.proposeEdit({
      mid: 'x',
      targets: ['unity'],
      op: 'set_transform',
      objectId: 'obj_0',
      transform: { position: [0, 0, 0] },
    });
    const err = await agent.waitFor('error', (m) => m.body.code === 'QUARANTINED');
    expect(err.body.message).toContain('read-only');
    expect(state().pending.map((p) => p.pid)).not.toContain(pid);
    clock.advance(60_000);
    expect(engine('claude')).toMatchObject({ state: 'HEALTHY', quarantineUntil: null, trust: 20, panic: null });
    expect(state().orchestrator.state).toBe('RUNNING');
    const { entries } = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['quarantine', 'quarantine_lifted'], limit: 5 });
    expect(entries.map((e) => e.kind)).toEqual(['quarantine_lifted', 'quarantine']);
  });
});
