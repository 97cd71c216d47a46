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
/** a script's first run starts the sandbox's interpreter: seconds on a loaded box */
const SANDBOX_MS = 60_000;
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

  it(
    'an approved script runs once in the sandbox and reaches two targets as an ordinary transaction, verified by hash',
    async () => {
      const { target: unity, agent } = await world();
      const godot = await h.sim({ name: 'godot', roles: ['target'] });
      await godot.waitFor('resync');
      const code = [
        'cube = scene.objects["obj_1"]',
        'cube.position = (1.5, 2, 3)',
        'red = scene.create_material("red", name="Red", base_color=(1, 0, 0, 1))',
        'cube.materials = [red.id]',
        'print("done")',
      ].join('\n');
      const pid = agent.proposeScript(code, ['unity', 'godot'], ['obj_1', 'red']);
      await agent.until(() => statusOf(agent, pid) === 'pending', 'pending', SANDBOX_MS);
      // The reviewer reads what the script will do, as an ordinary before/after diff.
      const view = state().pending[0]!;
      expect(view.changes).toEqual([
        {
          path: 'material red',
          before: null,
          after: { id: 'red', name: 'Red', baseColor: [1, 0, 0, 1], metallic: 0, roughness: 0.5, textures: [] },
        },
        { path: 'obj_1.transform.position', before: unity.scene.object('obj_1')!.transform.position, after: [1.5, 2, 3] },
        { path: 'obj_1.materials', before: unity.scene.object('obj_1')!.materials, after: ['red'] },
      ]);
      expect(view.script).toMatchObject({ output: 'done\n', findings: [] });
      expect(unity.scene.object('obj_1')!.transform.position).not.toEqual([1.5, 2, 3]);

      expect(await h.orch.control.call(reviewer, 'approve', { pids: [pid] })).toEqual({ approved: [pid], missing: [] });
      await agent.until(() => statusOf(agent, pid) === 'applied', 'applied', SANDBOX_MS);
      for (const t of [unity, godot]) {
        expect(t.scene.object('obj_1')!.transform.position).toEqual([1.5, 2, 3]);
        expect(t.scene.object('obj_1')!.materials).toEqual(['red']);
        expect(t.received.some((m) => (m.type as string) === 'script_run')).toBe(false); // no code reaches an engine
      }
      expect(godot.sceneHash).toBe(unity.sceneHash);
    },
    3 * SANDBOX_MS,
  );

  it(
    'a script whose result changed since review is not applied: the reviewer sees the new changes and is asked again',
    async () => {
      const { target, source, agent } = await world();
      const code = 'o = scene.objects["obj_2"]\nx, y, z = o.position\no.position = (x + 1, y, z)\n';
      const pid = agent.proposeScript(code, ['unity'], ['obj_2']);
      await agent.until(() => statusOf(agent, pid) === 'pending', 'pending', SANDBOX_MS);
      const id = source.send('mutation', { mutation: { ...moveTo('obj_2', [10, 0, 0]) } });
      await source.waitFor('ack', (m) => m.body.ref === id);

      const first = await h.orch.control.call(reviewer, 'approve', { pids: [pid] });
      expect(first).toEqual({ approved: [], missing: [], changed: [pid] });
      const view = state().pending[0]!;
      expect(view.script?.notice).toMatch(/result changed.*review again/);
      expect(view.changes).toEqual([{ path: 'obj_2.transform.position', before: [10, 0, 0], after: [11, 0, 0] }]);
      expect(statusOf(agent, pid)).toBe('pending');

      expect(await h.orch.control.call(reviewer, 'approve', { pids: [pid] })).toEqual({ approved: [pid], missing: [] });
      await agent.until(() => statusOf(agent, pid) === 'applied', 'applied', SANDBOX_MS);
      expect(target.scene.object('obj_2')!.transform.position).toEqual([11, 0, 0]);
    },
    3 * SANDBOX_MS,
  );

  it(
    'a script that fails its dry run is not recorded, and the agent hears why',
    async () => {
      const { agent } = await world();
      const pid = agent.proposeScript('while True:\n    pass\n', ['unity'], ['obj_1']);
      await agent.until(() => statusOf(agent, pid) === 'failed', 'failed', SANDBOX_MS);
      expect(agent.proposals.get(pid)!.reason).toMatch(/^STEP_LIMIT: /);
      expect(state().pending).toEqual([]);
      expect(state().orchestrator.state).toBe('RUNNING');
    },
    3 * SANDBOX_MS,
  );

  it('Security Breach: a blocked pattern in an AI script → agent told "blocked", PANICs and is quarantined alone (token revoked, session closed) while engines keep syncing; a lead\'s token reset lets it back', async () => {
    const { source, target, agent } = await world();
    const pid = agent.proposeScript('import os\nos.system("rm -rf /")\n', ['unity'], ['obj_1']);
    const error = await agent.waitFor('error', (m) => m.body.code === 'SECURITY_BLOCKED');
    expect(error.body.message).toBe(`Security Breach: script proposal ${pid}: import, unknown-name, unknown-attribute`);
    await agent.until(() => statusOf(agent, pid) === 'blocked', 'blocked');
    expect(agent.proposals.get(pid)!.reason).toMatch(/^SECURITY_BLOCKED: import \(line 1\): /);
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
      cause: `SECURITY_BLOCKED: script proposal ${pid}: import, unknown-name, unknown-attribute`,
      action: expect.stringContaining('sync between engines goes on'),
    });
    expect(claude.quarantineUntil).toBe(claude.panic!.at + 60_000); // quarantined for the 60 s cool-off from the breach
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

  it(
    'a script that changes an object it did not declare in touches is refused with FORBIDDEN_PATH at proposal time, nothing recorded',
    async () => {
      const { agent } = await world();
      const sceneBefore = h.orch.brain.exportState().scene;
      const pid = agent.proposeScript('scene.objects["obj_9"].position = (0, 9, 0)\n', ['unity'], ['obj_1']);
      await agent.until(() => statusOf(agent, pid) === 'failed', 'failed', SANDBOX_MS);
      expect(agent.proposals.get(pid)!.reason).toMatch(/^FORBIDDEN_PATH: the script changed obj_9/);
      expect(state().pending).toEqual([]);
      expect(h.orch.brain.exportState().scene).toEqual(sceneBefore);
    },
    3 * SANDBOX_MS,
  );
});
