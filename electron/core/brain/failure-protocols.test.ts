// failure-modes.md §3 (adapter failure protocols), §4 (determinism escalation) and the transaction
// deadline, over real WebSocket connections with the simulator and a ManualClock. Test names start
// with the row they prove (docs/failure-modes.md lists them).
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const viewer = { name: 'vic', role: 'viewer' as const };
const state = () => h.orch.control.state(viewer);
const engine = (name: string) => state().engines.find((e) => e.name === name);
const NO_BREAKER = { heartbeatTimeoutMs: 3_600_000 };

async function world(targetScenario: string, clock?: ManualClock) {
  h = await startHarness(clock ? { clock, config: NO_BREAKER } : {});
  const target = await h.sim({ name: 'unity', roles: ['target'], scenario: targetScenario, ...(clock ? { clock } : {}) });
  const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], ...(clock ? { clock } : {}) });
  await target.waitFor('resync');
  return { target, source };
}

describe('§3 Adapter failure protocols', () => {
  it('Target Failure: a transaction left unanswered past its deadline is a Target failure: session closed, ROLLBACK to the source, objects DIRTY', async () => {
    const clock = new ManualClock();
    const { target, source } = await world('stuck', clock);
    const sent = source.streamFrame();
    const begin = await target.waitFor('tx_begin');
    clock.advance(29_999);
    expect(target.closed).toBeNull();
    clock.advance(1);
    await target.until(() => target.closed !== null, 'closed');
    expect(target.closed!.code).toBe(4002);
    expect(target.closed!.reason).toContain('Target failure');
    const rb = await source.waitFor('rollback_broadcast');
    expect(rb.body.txId).toBe(begin.body.txId);
    const req = await source.waitFor('snapshot_request');
    expect(req.body.objectIds).toHaveLength(sent.length);
    const { entries } = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['rollback'], limit: 5 });
    expect(entries[0]!.reason).toMatch(/Target failure: .*no answer to transaction/);
  });

  it('Target Failure: a busy target gets its announced time before the transaction deadline applies', async () => {
    const clock = new ManualClock();
    const { target, source } = await world('stuck', clock);
    source.streamFrame();
    await target.waitFor('tx_begin');
    target.send('busy', { reason: 'compiling', expectedMs: 40_000 });
    await eventually(() => engine('unity')?.state === 'BUSY', 'BUSY');
    clock.advance(60_000);
    expect(target.closed).toBeNull();
    clock.advance(10_001); // 40 s announced + the 30 s deadline
    await target.until(() => target.closed !== null, 'closed');
    expect(target.closed!.code).toBe(4002);
  });

  it('Retry & Backoff: transient errors are retried 3 times at 100 → 400 → 1600 ms (±10 % jitter) on the injected clock', async () => {
    const clock = new ManualClock();
    const { target, source } = await world('transient', clock);
    source.streamFrame();
    const begins = () => target.received.filter((m) => m.type === 'tx_begin').length;
    const retries = () => h.orch.brain.sessions.get('unity')!.inflight?.retries ?? -1;
    await eventually(() => retries() === 1, 'first transient error seen');
    clock.advance(89);
    expect(begins()).toBe(1);
    clock.advance(22); // 111 ms: past the 100 ms step's upper jitter bound
    await target.until(() => begins() === 2, 'second attempt');
    await eventually(() => retries() === 2, 'second transient error seen');
    clock.advance(359);
    expect(begins()).toBe(2);
    clock.advance(82); // 441 ms
    await target.until(() => target.committed === 1, 'the third attempt commits');
    expect(begins()).toBe(3);
    expect(target.sceneHash).toBe(source.sceneHash);
    expect(target.closed).toBeNull();
  });

  it('Retry & Backoff: transient errors that outlast 3 retries become a Target failure (ROLLBACK to the source)', async () => {
    const clock = new ManualClock();
    const { target, source } = await world('transient-forever', clock);
    source.streamFrame();
    for (let retry = 1; retry <= 3; retry++) {
      await eventually(() => h.orch.brain.sessions.get('unity')?.inflight?.retries === retry, `retry ${retry} scheduled`);
      clock.advance(1800);
    }
    await target.until(() => target.closed !== null, 'closed after the 4th failure');
    expect(target.received.filter((m) => m.type === 'tx_begin')).toHaveLength(4);
    expect(target.closed!.reason).toContain('persisted after 3 retries');
    await source.waitFor('rollback_broadcast');
  });

  it('Target Failure: a target that never completes the close is cut after a second: the source hears the cause at once and the name is free again', async () => {
    h = await startHarness();
    // A raw target whose socket the test holds, so that it can stop reading before the 4002 close:
    // it never answers the closing handshake, as a hung engine would (ws alone would wait 30 s).
    let tcp: Socket | null = null;
    const ws = new WebSocket(h.orch.url, {
      perMessageDeflate: false,
      createConnection: ((o: NetConnectOpts) => (tcp = connect(o))) as typeof connect,
    });
    const got: Array<{ id: string; session: string; type: string; body: { txId?: string } }> = [];
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    ws.on('error', () => {});
    await new Promise((r) => ws.once('open', r));
    const token = h.orch.tokens.issue('adapter', 'unity').token;
    const envelope = (type: string, body: unknown, session: string | null = null) =>
      JSON.stringify({ v: 1, id: `m${Math.random().toString(36).slice(2)}`, session, gen: 1, ts: Date.now(), type, body });
    ws.send(
      envelope('handshake', {
        token,
        name: 'unity',
        engine: { kind: 'raw', version: '1' },
        roles: ['target'],
        capabilities: [],
        generation: 1,
      }),
    );
    await eventually(() => got.some((m) => m.type === 'welcome'), 'welcome');
    const { session } = got.find((m) => m.type === 'welcome')!;
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => got.some((m) => m.type === 'resync'), 'resync');
    source.streamFrame();
    for (let attempt = 1; attempt <= 4; attempt++) {
      await eventually(() => got.filter((m) => m.type === 'tx_begin').length === attempt, `tx_begin ${attempt}`, 10_000);
      const begin = got.filter((m) => m.type === 'tx_begin')[attempt - 1]!;
      if (attempt === 4) tcp!.pause(); // reads nothing more: the close frame that follows is never answered
      ws.send(
        envelope(
          'error',
          { code: 'TRANSIENT', message: 'connection reset while importing', ref: begin.id, txId: begin.body.txId },
          session,
        ),
      );
    }
    const told = await source.waitFor('rollback_broadcast', () => true, 3_000);
    expect(told.body.reason).toContain('persisted after 3 retries');
    await eventually(() => !h.orch.brain.sessions.has('unity'), 'the session gone', 3_000);
    const again = await h.sim({ name: 'unity', roles: ['target'] });
    await again.waitFor('resync');
    expect(again.closed).toBeNull();
    tcp!.destroy();
  }, 20_000);

  it('Retry & Backoff: a permanent error (FORBIDDEN_PATH) is not retried: rolled back and the writer QUARANTINED at once', async () => {
    const { target, source } = await world('forbidden-path');
    const sent = source.streamFrame();
    await source.waitFor('snapshot_request');
    await eventually(() => engine('blender')?.state === 'QUARANTINED', 'blender quarantined');
    expect(target.received.filter((m) => m.type === 'tx_begin')).toHaveLength(1);
    // Read-only: even its re-snapshot is refused, so the objects stay DIRTY until the cool-off ends.
    await source.waitFor('error', (m) => m.body.code === 'QUARANTINED');
    expect(state().objects.counts.DIRTY).toBe(sent.length);
    const { entries } = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['quarantine', 'rollback'], limit: 5 });
    expect(entries.map((e) => e.kind).sort()).toEqual(['quarantine', 'rollback']);
    expect(entries.find((e) => e.kind === 'quarantine')!.reason).toContain('FORBIDDEN_PATH');
    const id = source.send('mutation', {
      mutation: { mid: 'after', targets: ['unity'], op: 'set_transform', objectId: 'obj_1', transform: { position: [0, 0, 0] } },
    });
    expect((await source.waitFor('error', (m) => m.body.ref === id)).body.code).toBe('QUARANTINED');
  });
});

describe('§4 Determinism escalation', () => {
  it('Determinism Escalation: a hash mismatch halts without fixing data, marks the object DIRTY and refuses its whole branch until a fresh snapshot', async () => {
    const { target, source } = await world('hash-mismatch');
    const sendSnapshot = source.sendSnapshot.bind(source);
    source.sendSnapshot = () => ''; // hold the answer back to see the branch refused meanwhile
    const move = (id: string, x: number) =>
      source.send('mutation', {
        mutation: { mid: `${id}-${x}`, targets: ['unity'], op: 'set_transform', objectId: id, transform: { position: [x, 0, 0] } },
      });
    const resyncsBefore = target.received.filter((m) => m.type === 'resync').length;
    move('obj_10', 1); // obj_10 is the group that obj_11..obj_19 hang under
    await source.waitFor('snapshot_request');
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_10') === 'DIRTY', 'DIRTY');
    const child = move('obj_11', 2);
    expect((await source.waitFor('error', (m) => m.body.ref === child)).body.code).toBe('BRANCH_DIRTY');
    const other = move('obj_1', 3); // another branch is not affected
    await source.waitFor('ack', (m) => m.body.ref === other);
    // Halt: the brain never pushes its own idea of obj_10 to the target while waiting.
    expect(target.received.filter((m) => m.type === 'resync')).toHaveLength(resyncsBefore);
    sendSnapshot('requested');
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_10') === 'CLEAN', 'CLEAN after the fresh snapshot');
    const again = move('obj_11', 4);
    await source.waitFor('ack', (m) => m.body.ref === again);
  });
});
