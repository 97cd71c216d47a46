import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../../../shared/canonical/index.js';
import { toScene } from './scene-model.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import { SimAdapter } from '../../../adapters/sim/sim-adapter.js';

/** The target never answers with its post-import hash, so its transaction stays open. */
function holdTxHash(target: object) {
  const t = target as { send: (type: string, body: unknown) => string };
  const answer = t.send.bind(target);
  t.send = (type, body) => (type === 'tx_hash' ? '' : answer(type, body));
}

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const brainHash = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));

describe('source → target pipeline', () => {
  it('commits a streamed frame: source, target and brain hold the same scene hash', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'], seed: 99 });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'initial snapshot adopted');
    await target.waitFor('resync');
    const sent = source.streamFrame();
    expect(sent.length).toBeGreaterThan(0);
    const ack = await source.waitFor('ack', (m) => m.body.count === sent.length);
    expect(ack.body.seq).toBeGreaterThan(0);
    await target.until(() => target.committed === 1, 'one commit');
    await eventually(() => h.orch.brain.sessions.get('unity')?.inflight === null, 'tx done');
    expect(target.sceneHash).toBe(source.sceneHash);
    expect(brainHash()).toBe(source.sceneHash);
    expect(h.orch.control.state({ name: 'x', role: 'viewer' }).objects.counts.DIRTY).toBe(0);
  });

  it('refuses a mutation for an unknown target with UNKNOWN_TARGET and changes nothing', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'initial snapshot adopted');
    const before = h.orch.brain.exportState();
    const seqBefore = h.orch.brain.seq;
    const id = source.send('mutation', {
      mutation: { mid: 'm1', targets: ['nowhere'], op: 'set_transform', objectId: 'obj_0', transform: { position: [5, 5, 5] } },
    });
    const err = await source.waitFor('error', (m) => m.body.ref === id);
    expect(err.body.code).toBe('UNKNOWN_TARGET');
    expect(h.orch.brain.exportState()).toEqual(before);
    expect(h.orch.brain.seq).toBe(seqBefore);
  });

  it('Hash Mismatch: a failed post-import hash → rollback on the target, DIRTY, snapshot_request; the branch refuses mutations until the source re-snapshots', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'hash-mismatch' });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    // Hold the source's answer to snapshot_request back, to see the branch refused meanwhile.
    const sendSnapshot = source.sendSnapshot.bind(source);
    source.sendSnapshot = () => '';
    const move = (id: string, x: number) =>
      source.send('mutation', {
        mutation: { mid: `m${x}`, targets: ['unity'], op: 'set_transform', objectId: id, transform: { position: [x, 0, 0] } },
      });

    move('obj_0', 1);
    const rb = await target.waitFor('tx_rollback');
    expect(rb.body.reason).toMatch(/hash/);
    const req = await source.waitFor('snapshot_request');
    expect(req.body.objectIds).toEqual(['obj_0']);
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_0') === 'DIRTY', 'obj_0 DIRTY');
    const view = h.orch.control.state({ name: 'x', role: 'viewer' });
    expect(view.objects.notClean.map((o) => [o.id, o.state])).toEqual([['obj_0', 'DIRTY']]);
    expect(view.audit.some((a) => a.kind === 'rollback')).toBe(true);

    const before = h.orch.brain.exportState();
    const refused = move('obj_0', 2);
    expect((await source.waitFor('error', (m) => m.body.ref === refused)).body.code).toBe('BRANCH_DIRTY');
    expect(h.orch.brain.exportState()).toEqual(before);

    sendSnapshot('requested');
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_0') === 'CLEAN', 'obj_0 CLEAN after re-snapshot');
    await target.waitFor('resync', (m) => m.body.reason.includes('re-snapshot'));
    expect(target.sceneHash).toBe(brainHash());
    const accepted = move('obj_0', 3);
    await source.waitFor('ack', (m) => m.body.ref === accepted);
  });

  it('Hash Mismatch: the target hears tx_rollback before its source is asked to re-snapshot, so an engine that is both never exports its sandbox', async () => {
    h = await startHarness();
    // Blender is source and target at once: an AI edit of its own object comes back to it.
    const blender = await h.sim({ name: 'blender', roles: ['source', 'target'], scenario: 'hash-mismatch' });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene');
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    const before = blender.scene.object('obj_1')!.transform.position;
    const pid = agent.proposeEdit({
      mid: 'ai-1',
      targets: ['blender'],
      op: 'set_transform',
      objectId: 'obj_1',
      transform: { position: [9, 9, 9] },
    });
    await agent.until(() => agent.proposals.get(pid)?.status === 'pending', 'pending');
    await h.orch.control.call({ name: 'rita', role: 'reviewer' }, 'approve', { pids: [pid] });
    await blender.waitFor('snapshot_request');
    const order = blender.received.map((m) => m.type).filter((t) => t === 'tx_rollback' || t === 'snapshot_request');
    expect(order).toEqual(['tx_rollback', 'snapshot_request']);
    await agent.until(() => agent.proposals.get(pid)?.status === 'failed', 'proposal failed');
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_1') === 'CLEAN', 're-snapshot adopted');
    // The scene the brain adopted is the engine's state without the rolled-back edit.
    expect(h.orch.brain.state.scene.objects.get('obj_1')!.transform.position).toEqual(before);
    expect(brainHash()).toBe(blender.sceneHash);
  });

  it('Target Failure: a target crash mid-import → rollback_broadcast to the source, subjects DIRTY, re-snapshot requested', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    target.send = () => ''; // the engine takes the transaction and never answers
    const sendSnapshot = source.sendSnapshot.bind(source);
    source.sendSnapshot = () => ''; // hold the re-snapshot back to see the DIRTY marks
    const sent = source.streamFrame();
    expect(sent).toHaveLength(10);
    const begin = await target.waitFor('tx_begin');
    target.crash();
    const rb = await source.waitFor('rollback_broadcast');
    expect(rb.body.txId).toBe(begin.body.txId);
    const req = await source.waitFor('snapshot_request');
    expect(req.body.objectIds).toEqual(sent.map((m) => (m as { objectId: string }).objectId));
    const view = () => h.orch.control.state({ name: 'v', role: 'viewer' });
    await eventually(() => view().objects.counts.DIRTY === 10, 'every moved object DIRTY');
    expect(view().objects.notClean.every((o) => o.state === 'DIRTY' && o.reason?.includes('Target failure: unity disconnected'))).toBe(
      true,
    );
    const { entries } = await h.orch.control.call({ name: 'v', role: 'viewer' }, 'queryAudit', { kinds: ['rollback'], limit: 5 });
    expect(entries).toMatchObject([
      {
        kind: 'rollback',
        summary: `tx ${begin.body.txId} rolled back on unity; 10 subject(s) DIRTY`,
        reason: expect.stringMatching(/^Target failure: unity disconnected/),
      },
    ]);
    sendSnapshot('requested');
    await eventually(() => view().objects.counts.DIRTY === 0, 'clean again after the source re-snapshots');
  });

  it('Source Failure: an adapter reporting SOURCE_FAILED mid-export halts its pipeline: the target purges the transaction, subjects DIRTY until the source re-snapshots', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    holdTxHash(target);
    const sendSnapshot = source.sendSnapshot.bind(source);
    source.sendSnapshot = () => '';
    const sent = source.streamFrame();
    const begin = await target.waitFor('tx_begin');
    source.send('error', { code: 'SOURCE_FAILED', message: 'exporter raised in the middle of the frame', ref: null, txId: null });
    const purge = await target.waitFor('tx_purge');
    expect(purge.body).toEqual({
      txId: begin.body.txId,
      reason: 'Source failure: SOURCE_FAILED reported by blender: exporter raised in the middle of the frame',
    });
    // the hash the target had on its way crosses the tx_purge: expected, not UNKNOWN_TX
    SimAdapter.prototype.send.call(target, 'tx_hash', { txId: begin.body.txId, hash: 'a'.repeat(64) });
    const probe = SimAdapter.prototype.send.call(target, 'tx_done', { txId: 'probe', outcome: 'committed' });
    await target.waitFor('error', (m) => m.body.ref === probe); // everything before the probe is handled
    expect(target.stats.errors.filter((e) => e.message.includes(begin.body.txId))).toEqual([]);
    const view = () => h.orch.control.state({ name: 'v', role: 'viewer' });
    await eventually(() => view().objects.counts.DIRTY === sent.length, 'moved objects DIRTY');
    await source.waitFor('snapshot_request');
    const refused = source.send('mutation', {
      mutation: { mid: 'again', targets: ['unity'], op: 'set_transform', objectId: 'obj_0', transform: { position: [0, 0, 0] } },
    });
    expect((await source.waitFor('error', (m) => m.body.ref === refused)).body.code).toBe('BRANCH_DIRTY');
    expect(source.closed).toBeNull(); // halted, not disconnected
    sendSnapshot('requested');
    await eventually(() => view().objects.counts.DIRTY === 0, 'DIRTY cleared by the re-snapshot');
    await target.waitFor('resync', (m) => m.body.reason.includes('re-snapshot'));
    expect(target.sceneHash).toBe(source.sceneHash);
  });

  it('Source Failure: a source crash mid-export → the target purges the transaction sandbox, subjects DIRTY until the source re-snapshots', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    holdTxHash(target);
    source.streamFrame();
    const begin = await target.waitFor('tx_begin');
    source.crash();
    const purge = await target.waitFor('tx_purge');
    expect(purge.body.txId).toBe(begin.body.txId);
    await eventually(
      () => h.orch.control.state({ name: 'v', role: 'viewer' }).objects.counts.DIRTY === begin.body.mutations.length,
      'moved objects DIRTY',
    );
    await eventually(() => !h.orch.brain.sessions.get('unity')!.inflight, 'purge acknowledged');

    const { token } = h.orch.tokens.issue('adapter', 'blender');
    const { SimAdapter } = await import('../../../adapters/sim/sim-adapter.js');
    const back = new SimAdapter({ url: h.orch.url, token, name: 'blender', roles: ['source'], targets: ['unity'] });
    h.sims.push(back);
    await back.connect(); // its initial snapshot is adopted: the DIRTY marks were waiting for it
    await eventually(() => h.orch.control.state({ name: 'v', role: 'viewer' }).objects.counts.DIRTY === 0, 'DIRTY cleared by the snapshot');
    await target.waitFor('resync', (m) => m.body.reason.includes('re-snapshot'));
    expect(target.sceneHash).toBe(back.sceneHash);
  });

  it('Source Failure: a source that dies while another source has a 140,000-mutation backlog queued for a stalled target: its work is purged and DIRTY, the other backlog kept in order', async () => {
    h = await startHarness({ config: { maxTargetBacklog: 1_000_000 } }); // this test keeps its 140k backlog;
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const stream = { roles: ['source' as const], targets: ['unity'], objects: 1000, moving: 1000, batched: true };
    const blender = await h.sim({ name: 'blender', ...stream });
    const maya = await h.sim({ name: 'maya', ...stream }); // the same scene: its snapshot agrees, no resync
    await target.waitFor('resync');
    holdTxHash(target);
    const acked = new Set<string>();
    for (const s of [blender, maya])
      s.on('message', (m: { type: string; body: { ref?: string } }) => {
        if (m.type === 'ack') acked.add(m.body.ref!);
      });
    const mayaMids: string[] = [];
    const sendFrames = async (s: typeof blender, frames: number) => {
      for (let f = 0; f < frames; f++) {
        for (const m of s.streamFrame()) if (s === maya) mayaMids.push(m.mid);
        if (f % 20 === 19) await new Promise((r) => setImmediate(r));
      }
    };
    await sendFrames(blender, 10);
    await eventually(() => acked.size === 10, 'blender frames acknowledged', 60_000);
    await sendFrames(maya, 140);
    await eventually(() => acked.size === 150, 'maya frames acknowledged', 60_000);
    const unity = h.orch.brain.sessions.get('unity')!;
    expect(unity.inflight?.source).toBe('blender');
    expect(unity.queue.length + unity.inflight!.items.length).toBe(150_000);
    const begin = await target.waitFor('tx_begin');
    blender.crash();
    expect((await target.waitFor('tx_purge')).body.txId).toBe(begin.body.txId);
    await eventually(
      () => h.orch.control.state({ name: 'v', role: 'viewer' }).objects.counts.DIRTY === 1000,
      "blender's 1,000 moved objects DIRTY",
    );
    await eventually(() => unity.inflight?.source !== 'blender', 'purge acknowledged');
    // Kept: maya's backlog, whole and in order (one transaction of it may be in flight by now).
    const kept = [...(unity.inflight?.items ?? []), ...unity.queue];
    expect(kept.every((i) => i.kind === 'mutation' && i.source === 'maya')).toBe(true);
    expect(kept.map((i) => (i.kind === 'mutation' ? i.mutation.mid : ''))).toEqual(mayaMids);
  }, 120_000);

  it('a target that committed while another target mismatched is resynced without being told to purge that transaction, and its late tx_done is accepted (no UNKNOWN_TX)', async () => {
    h = await startHarness();
    const unity = await h.sim({ name: 'unity', roles: ['target'] });
    const godot = await h.sim({ name: 'godot', roles: ['target'], scenario: 'hash-mismatch' });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity', 'godot'] });
    await unity.waitFor('resync');
    await godot.waitFor('resync');
    // unity's tx_done is held back until the re-snapshot godot's mismatch asks for has resynced it
    const held: Array<() => void> = [];
    const answer = unity.send.bind(unity) as (type: string, body: unknown) => string;
    (unity as unknown as { send: typeof answer }).send = (type, body) => {
      if (type !== 'tx_done') return answer(type, body);
      held.push(() => answer(type, body));
      return '';
    };
    source.send('mutation', {
      mutation: { mid: 'm1', targets: ['unity', 'godot'], op: 'set_transform', objectId: 'obj_0', transform: { position: [1, 0, 0] } },
    });
    const commit = await unity.waitFor('tx_commit');
    await godot.waitFor('tx_rollback');
    await unity.until(() => unity.received.filter((m) => m.type === 'resync').length === 2, 'resynced after the re-snapshot');
    (unity as unknown as { send: typeof answer }).send = answer;
    for (const release of held) release();
    // what follows must still flow: a later change commits on unity
    source.send('mutation', {
      mutation: { mid: 'm2', targets: ['unity'], op: 'set_transform', objectId: 'obj_1', transform: { position: [2, 0, 0] } },
    });
    await unity.until(() => unity.committed === 2, 'a second commit');
    expect(unity.received.filter((m) => m.type === 'tx_purge' && m.body.txId === commit.body.txId)).toEqual([]);
    expect(unity.stats.errors.map((e) => e.code)).not.toContain('UNKNOWN_TX');
    expect(unity.sceneHash).toBe(brainHash());
  });

  it('a refused delete of an object that still has children costs trust, and the audit says so with the reason', async () => {
    h = await startHarness();
    await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'initial snapshot adopted');
    const trust = () => h.orch.control.state({ name: 'x', role: 'viewer' }).engines.find((e) => e.name === 'blender')!.trust;
    const before = trust();
    const id = source.send('mutation', { mutation: { mid: 'd1', targets: ['unity'], op: 'delete', objectId: 'obj_0' } });
    const err = await source.waitFor('error', (m) => m.body.ref === id);
    expect([err.body.code, err.body.message]).toEqual(['SCHEMA_VIOLATION', expect.stringContaining('has children')]);
    await eventually(() => trust() < before, 'trust lowered');
    const audit = h.orch.control.state({ name: 'x', role: 'viewer' }).audit.filter((a) => a.kind === 'trust_penalty');
    expect(audit).toEqual([expect.objectContaining({ actor: 'orchestrator', summary: expect.stringContaining('blender lost') })]);
    expect(audit[0]!.reason).toMatch(/SCHEMA_VIOLATION: object "obj_0" has children/);
  });
});
