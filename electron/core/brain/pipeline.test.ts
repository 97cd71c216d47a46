import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../../../shared/canonical/index.js';
import { toScene } from './scene-model.js';
import { eventually, startHarness, type Harness } from './test-harness.js';

let h: Harness;
afterEach(async () => { await h?.stopAll(); });

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
    const id = source.send('mutation', { mutation: { mid: 'm1', targets: ['nowhere'], op: 'set_transform', objectId: 'obj_0', transform: { position: [5, 5, 5] } } });
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
    const move = (id: string, x: number) => source.send('mutation', { mutation: { mid: `m${x}`, targets: ['unity'], op: 'set_transform', objectId: id, transform: { position: [x, 0, 0] } } });

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

  it('Target Failure: a target crash mid-import → rollback_broadcast to the source, subjects DIRTY, re-snapshot requested', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    target.send = () => ''; // the engine takes the transaction and never answers
    const sent = source.streamFrame();
    const begin = await target.waitFor('tx_begin');
    target.crash();
    const rb = await source.waitFor('rollback_broadcast');
    expect(rb.body.txId).toBe(begin.body.txId);
    await source.waitFor('snapshot_request');
    expect(sent.length).toBeGreaterThan(0);
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_0') === 'CLEAN', 'clean again after the snapshot the sim sent back');
    const { entries } = await h.orch.control.call({ name: 'v', role: 'viewer' }, 'queryAudit', { kinds: ['rollback'], limit: 5 });
    expect(entries[0]!.reason).toContain('Target failure');
  });

  it('Source Failure: a source crash mid-export → the target purges the transaction sandbox, subjects DIRTY until the source re-snapshots', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    const answer = target.send.bind(target) as (type: string, body: unknown) => string;
    (target as { send: (type: string, body: unknown) => string }).send = (type, body) => (type === 'tx_hash' ? '' : answer(type, body)); // hold the hash: the tx stays open
    source.streamFrame();
    const begin = await target.waitFor('tx_begin');
    source.crash();
    const purge = await target.waitFor('tx_purge');
    expect(purge.body.txId).toBe(begin.body.txId);
    await eventually(() => h.orch.control.state({ name: 'v', role: 'viewer' }).objects.counts.DIRTY === begin.body.mutations.length, 'moved objects DIRTY');
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
});
