import { afterEach, describe, expect, it } from 'vitest';
import type { Mutation } from '../../../shared/protocol/index.js';
import { SimAdapter } from '../../../adapters/sim/sim-adapter.js';
import { hashing } from '../../../shared/canonical/index.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const reviewer = { name: 'rita', role: 'reviewer' as const };
const lead = { name: 'lena', role: 'lead' as const };
const viewer = { name: 'vic', role: 'viewer' as const };
const moveTo = (id: string, position: [number, number, number]): Mutation => ({
  mid: `ai-${id}-${position[0]}`,
  targets: ['unity'],
  op: 'set_transform',
  objectId: id,
  transform: { position },
});

async function world() {
  h = await startHarness();
  const target = await h.sim({ name: 'unity', roles: ['target'] });
  const source = await h.sim({ name: 'blender', roles: ['source'] });
  await target.waitFor('resync');
  const agent = await h.sim({ name: 'claude', roles: ['agent'] });
  return { target, source, agent };
}
const statusOf = (agent: SimAdapter, pid: string) => agent.proposals.get(pid)?.status;
const state = (actor = viewer) => h.orch.control.state(actor);

describe('AI proposals', () => {
  it('Human > AI: an edit waits PENDING with a before/after diff, and reaches the target only after approval', async () => {
    const { target, agent } = await world();
    const before = target.scene.object('obj_1')!.transform.position;
    const pid = agent.proposeEdit(moveTo('obj_1', [9, 9, 9]));
    await agent.until(() => statusOf(agent, pid) === 'pending', 'pending');

    const pending = state().pending;
    expect(pending.map((p) => p.pid)).toEqual([pid]);
    expect(pending[0]!.changes).toEqual([{ path: 'transform.position', before, after: [9, 9, 9] }]);
    expect(state().objects.notClean).toMatchObject([{ id: 'obj_1', state: 'PENDING' }]);
    expect(target.scene.object('obj_1')!.transform.position).toEqual(before);

    const res = await h.orch.control.call(reviewer, 'approve', { pids: [pid] });
    expect(res).toEqual({ approved: [pid], missing: [] });
    await agent.until(() => statusOf(agent, pid) === 'applied', 'applied');
    expect(target.scene.object('obj_1')!.transform.position).toEqual([9, 9, 9]);
    expect(state().pending).toEqual([]);
    expect(state().objects.counts.PENDING).toBe(0);
    const audit = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['approve'], limit: 10 });
    expect(audit.entries).toMatchObject([{ actor: 'rita', role: 'reviewer', summary: expect.stringContaining(pid) }]);
  });

  it('reject records who and why, tells the agent, and leaves the engines untouched', async () => {
    const { target, agent } = await world();
    const hashBefore = target.sceneHash;
    const pid = agent.proposeEdit(moveTo('obj_2', [1, 2, 3]));
    await agent.until(() => statusOf(agent, pid) === 'pending', 'pending');
    await h.orch.control.call(reviewer, 'reject', { pids: [pid], reason: 'wrong object, keep it in place' });
    await agent.until(() => statusOf(agent, pid) === 'rejected', 'rejected');
    expect(agent.proposals.get(pid)!.reason).toContain('wrong object');
    const audit = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['reject'], limit: 10 });
    expect(audit.entries).toMatchObject([{ actor: 'rita', role: 'reviewer', reason: 'wrong object, keep it in place' }]);
    expect(state().pending).toEqual([]);
    expect(state().objects.counts.PENDING).toBe(0);
    expect(target.sceneHash).toBe(hashBefore);
  });

  it('a viewer cannot approve (FORBIDDEN_ROLE) and the proposal stays pending', async () => {
    const { agent } = await world();
    const pid = agent.proposeEdit(moveTo('obj_3', [4, 4, 4]));
    await agent.until(() => statusOf(agent, pid) === 'pending', 'pending');
    await expect(h.orch.control.call(viewer, 'approve', { pids: [pid] })).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(h.orch.control.call(reviewer, 'setTrustThreshold', { value: 0, reason: 'let it all through' })).rejects.toMatchObject({
      code: 'FORBIDDEN_ROLE',
    });
    expect(state().pending.map((p) => p.pid)).toEqual([pid]);
    expect(state().orchestrator.trustThreshold).toBe(100);
  });

  it('Human > AI: trust mode auto-approves an agent at or above the lead\'s threshold, as "trust-mode"', async () => {
    const { target, agent } = await world();
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 40, reason: 'pilot with a trusted agent' });
    const pid = agent.proposeEdit(moveTo('obj_4', [7, 0, 7]));
    await agent.until(() => statusOf(agent, pid) === 'applied', 'applied');
    expect(target.scene.object('obj_4')!.transform.position).toEqual([7, 0, 7]);
    const audit = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['approve'], limit: 10 });
    expect(audit.entries).toMatchObject([{ actor: 'trust-mode', role: 'system' }]);
    const thr = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['trust_threshold'], limit: 10 });
    expect(thr.entries).toMatchObject([{ actor: 'lena', role: 'lead', reason: 'pilot with a trusted agent' }]);
  });

  it("Human > AI: trust mode's own approvals earn no trust; only a person's approval does, and a restart replays the same trust", async () => {
    const { agent } = await world();
    const trust = () => state().engines.find((e) => e.name === 'claude')!.trust;
    expect(trust()).toBe(50);
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 50, reason: 'pilot: let new agents through' });
    for (const [i, id] of ['obj_1', 'obj_2', 'obj_3'].entries()) {
      const pid = agent.proposeEdit(moveTo(id, [i + 1, 0, 0]));
      await agent.until(() => statusOf(agent, pid) === 'applied', `auto-approved ${pid}`);
    }
    expect(trust()).toBe(50); // three automatic approvals: nothing earned, so it cannot climb past the threshold on its own
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 100, reason: 'pilot over' });
    const pid = agent.proposeEdit(moveTo('obj_4', [4, 0, 0]));
    await agent.until(() => statusOf(agent, pid) === 'pending', 'pending');
    await h.orch.control.call(reviewer, 'approve', { pids: [pid] });
    await agent.until(() => statusOf(agent, pid) === 'applied', 'applied');
    expect(trust()).toBe(51);
    await h.orch.brain.whenDurable();
    await h.orch.close();
    await h.restart();
    expect(h.orch.brain.state.engines.get('claude')!.trust).toBe(51);
  });

  it('an approved script runs on its target as script_run and the agent hears "applied"', async () => {
    const { target, agent } = await world();
    const pid = agent.proposeScript('import bpy\nbpy.data.objects["obj_1"].location.x = 1\n', ['unity'], ['obj_1']);
    await agent.until(() => statusOf(agent, pid) === 'pending', 'pending');
    expect(state().pending[0]!.script?.code).toContain('bpy');
    await h.orch.control.call(reviewer, 'approve', { pids: [pid] });
    await target.waitFor('script_run', (m) => m.body.pid === pid);
    await agent.until(() => statusOf(agent, pid) === 'applied', 'applied');
  });

  it('Security Breach: a blocked pattern in an AI script → agent told "blocked", PANICs and is quarantined alone (token revoked, session closed) while engines keep syncing; a lead\'s token reset lets it back', async () => {
    const { source, target, agent } = await world();
    const pid = agent.proposeScript('import os\nos.system("rm -rf /")\n', ['unity'], ['obj_1']);
    const error = await agent.waitFor('error', (m) => m.body.code === 'SECURITY_BLOCKED');
    expect(error.body.message).toBe(`Security Breach: script proposal ${pid}: import-blocked, module-reference, attribute-blocked`);
    await agent.until(() => statusOf(agent, pid) === 'blocked', 'blocked');
    expect(agent.proposals.get(pid)!.reason).toMatch(/^SECURITY_BLOCKED: import-blocked \(line 1\): /);
    await agent.until(() => agent.closed !== null, 'agent session closed');
    expect(agent.closed).toEqual({ code: 4001, reason: 'Security Breach' });

    // Only the agent is halted: the orchestrator runs on, and says who is quarantined and why.
    expect(state().orchestrator).toMatchObject({ state: 'RUNNING', panic: null });
    const claude = state().engines.find((e) => e.name === 'claude')!;
    expect(claude.state).toBe('PANIC');
    expect(claude.panic).toMatchObject({
      failure: 'Security Breach',
      scope: 'agent',
      engine: 'claude',
      cause: `SECURITY_BLOCKED: script proposal ${pid}: import-blocked, module-reference, attribute-blocked`,
      action: expect.stringContaining('sync between engines goes on'),
    });
    expect(claude.quarantineUntil).toBe(claude.panic!.at + 60_000);
    expect(
      h.orch.tokens
        .list()
        .filter((t) => t.name === 'claude')
        .map((t) => t.revokedAt !== null),
    ).toEqual([true]);
    expect(state().pending).toEqual([]);
    const { entries } = await h.orch.control.call(viewer, 'queryAudit', { kinds: ['panic'], limit: 5 });
    expect(entries).toMatchObject([
      { terminal: true, actor: 'claude', role: 'agent', summary: expect.stringContaining('Security Breach') },
    ]);

    // A source → target stream goes on committing, and the target's hash follows the orchestrator's scene.
    const id = source.send('mutation', { mutation: moveTo('obj_1', [1, 1, 1]) });
    await source.waitFor('ack', (m) => m.body.ref === id);
    await eventually(() => target.scene.object('obj_1')?.transform.position[0] === 1, 'the target applied the source mutation');
    await eventually(() => target.sceneHash === hashing.sceneHash(h.orch.brain.exportState().scene), 'target hash follows');

    const reset = await h.orch.control.call(lead, 'resetToken', { engine: 'claude', reason: 'reviewed the log; agent prompt fixed' });
    expect(reset.token).toMatch(/^vs_agent_/);
    expect(state().engines.find((e) => e.name === 'claude')).toBeUndefined(); // no PANIC left, and not connected
    const back = new SimAdapter({ url: h.orch.url, token: reset.token, name: 'claude', roles: ['agent'] });
    h.sims.push(back);
    await back.connect();
    const again = back.proposeEdit(moveTo('obj_2', [2, 2, 2]));
    await back.until(() => statusOf(back, again) === 'pending', 'the reset agent proposes again');
  });

  it('Security Breach: every session on the revoked token is closed at once (a prefix* token), but only the agent that proposed is in PANIC', async () => {
    await world();
    const { token } = h.orch.tokens.issue('agent', 'bot-*');
    const bots = ['bot-a', 'bot-b'].map((name) => new SimAdapter({ url: h.orch.url, token, name, roles: ['agent'] }));
    h.sims.push(...bots);
    for (const b of bots) await b.connect();
    const [a, b] = bots as [SimAdapter, SimAdapter];
    const pid = a.proposeScript('import subprocess\nsubprocess.run(["ls"])\n', ['unity'], []);
    await a.until(() => statusOf(a, pid) === 'blocked', 'blocked');
    await b.until(() => b.closed !== null, 'the other session on the same token closed');
    expect(b.closed!.code).toBe(4001);
    await a.until(() => a.closed !== null, 'the breached session closed');
    expect(state().engines.find((e) => e.name === 'bot-a')!.state).toBe('PANIC');
    expect(state().engines.find((e) => e.name === 'bot-b')).toBeUndefined();
    expect(state().orchestrator.state).toBe('RUNNING');
  });

  it('Retry & Backoff: a script result that touches an undeclared object is FORBIDDEN_PATH: rolled back, proposal failed, agent quarantined at once', async () => {
    const { target, agent } = await world();
    const real = target.send.bind(target) as (type: string, body: unknown) => string;
    // This engine reports that the script also moved obj_9, which it never declared.
    (target as { send: (type: string, body: unknown) => string }).send = (type, body) =>
      type === 'script_result'
        ? real(type, {
            ...(body as object),
            mutations: [{ mid: 's1', targets: ['unity'], op: 'set_transform', objectId: 'obj_9', transform: { position: [0, 9, 0] } }],
          })
        : real(type, body);
    const pid = agent.proposeScript('import bpy\n', ['unity'], ['obj_1']);
    await agent.until(() => statusOf(agent, pid) === 'pending', 'pending');
    const sceneBefore = h.orch.brain.exportState().scene;
    await h.orch.control.call(reviewer, 'approve', { pids: [pid] });
    const rb = await target.waitFor('tx_rollback');
    expect(rb.body.reason).toContain('FORBIDDEN_PATH');
    await agent.until(() => statusOf(agent, pid) === 'failed', 'failed');
    expect(h.orch.brain.exportState().scene).toEqual(sceneBefore);
    await eventually(() => state().engines.find((e) => e.name === 'claude')?.state === 'QUARANTINED', 'agent quarantined');
  });
});
