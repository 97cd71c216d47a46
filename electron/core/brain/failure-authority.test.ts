// failure-modes.md "Authority & Override" and "Human Intervention", and the drift taxonomy, over
// real WebSocket connections with the simulator. Test names start with the row they prove.
import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../../../shared/canonical/index.js';
import { EMERGENCY_ACK, REQUIRED_ROLE, type ControlInput, type ControlMethod, type PersonRole } from '../../../shared/ipc/index.js';
import { toScene } from './scene-model.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { runControl } from '../control/operations.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const viewer = { name: 'vic', role: 'viewer' as const };
const reviewer = { name: 'rita', role: 'reviewer' as const };
const lead = { name: 'lena', role: 'lead' as const };
const state = () => h.orch.control.state(viewer);
const audit = async (kinds: string[]) => (await h.orch.control.call(viewer, 'queryAudit', { kinds, limit: 20 })).entries;

describe('Authority & Override', () => {
  it("Human > AI: trust mode auto-approves a script only after its sandbox run, and never one the scanner refuses, whatever the agent's trust", async () => {
    h = await startHarness(); // the real scanner and sandbox, as the orchestrator ships
    const unity = await h.sim({ name: 'unity', roles: ['target'] });
    await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.scene.objects.has('obj_2'), 'the scene adopted');
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 0, reason: 'trust everything' });
    const clean = agent.proposeScript('scene.objects["obj_2"].position = (1, 0, 0)\n', ['unity'], ['obj_2']);
    await agent.until(() => agent.proposals.get(clean)?.status === 'applied', 'clean script auto-approved', 60_000);
    expect(unity.scene.object('obj_2')!.transform.position).toEqual([1, 0, 0]);
    // Outside the language (bpy is not in it): refused by the scanner, so never approved.
    const refused = agent.proposeScript('import bpy\nbpy.ops.screen.frame_jump(end=False)\n', ['unity'], ['obj_1']);
    await agent.until(() => agent.proposals.get(refused)?.status === 'blocked', 'refused script blocked');
    expect(state().pending).toEqual([]);
    expect((await audit(['approve'])).map((e) => e.actor)).toEqual(['trust-mode']);
  }, 120_000);

  it('Human > AI: a script whose touches reach a DIRTY branch is refused at proposal time with BRANCH_DIRTY, even in trust mode, and re-checked at approval', async () => {
    h = await startHarness();
    await h.sim({ name: 'unity', roles: ['target'], scenario: 'hash-mismatch' });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.sessions.has('unity') && h.orch.brain.state.sceneAdopted, 'scene');
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    source.sendSnapshot = () => ''; // the DIRTY branch stays DIRTY: no re-snapshot
    const waiting = agent.proposeScript('scene.objects["obj_12"].position = (1, 0, 0)\n', ['unity'], ['obj_12']);
    await agent.until(() => agent.proposals.get(waiting)?.status === 'pending', 'pending for review', 60_000);
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 0, reason: 'trust everything' });
    // obj_10 is the group obj_11..obj_19 hang under; its import fails the hash check → DIRTY.
    source.send('mutation', {
      mutation: { mid: 'm1', targets: ['unity'], op: 'set_transform', objectId: 'obj_10', transform: { position: [1, 0, 0] } },
    });
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_10') === 'DIRTY', 'obj_10 DIRTY');
    const seq = h.orch.brain.seq;
    const refused = agent.proposeScript('scene.objects["obj_11"].position = (1, 0, 0)\n', ['unity'], ['obj_11']);
    const err = await agent.waitFor('error', (m) => m.body.code === 'BRANCH_DIRTY');
    expect(err.body.message).toBe(`${refused}: obj_10 is DIRTY; waiting for a fresh snapshot from its source`);
    expect(agent.proposals.has(refused)).toBe(false);
    expect(state().pending.map((p) => p.pid)).toEqual([waiting]);
    expect(h.orch.brain.seq).toBe(seq); // nothing written: no proposal, no approval
    // The one that arrived before the branch went DIRTY fails when a reviewer approves it.
    await h.orch.control.call(reviewer, 'approve', { pids: [waiting] });
    await agent.until(() => agent.proposals.get(waiting)?.status === 'failed', 'failed at approval');
    expect(agent.proposals.get(waiting)!.reason).toContain('BRANCH_DIRTY');
    expect(h.sims.find((s) => s.name === 'unity')!.received.some((m) => (m.type as string) === 'script_run')).toBe(false);
  }, 120_000);

  it('Emergency Override: emergency_unlock is refused outside PANIC and to non-leads, needs the acknowledgement, and is written to the WAL', async () => {
    h = await startHarness();
    await h.sim({ name: 'blender', roles: ['source'], objects: 12 });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene');
    const unlock = (actor: typeof lead | typeof reviewer, acknowledge: string) =>
      h.orch.control.call(actor, 'emergencyUnlock', { acknowledge, reason: 'engine restarted by hand' });
    await expect(unlock(lead, EMERGENCY_ACK)).rejects.toMatchObject({
      code: 'NOT_IN_PANIC',
      reason: 'emergency unlock is only available while the orchestrator is in PANIC; nothing is LOCKED',
    });
    const bad = await h.sim({ name: 'godot', roles: ['target'], scenario: 'malformed' });
    await bad.until(() => bad.closed !== null, 'PANIC');
    await eventually(() => state().orchestrator.state === 'PANIC', 'PANIC');
    await expect(unlock(reviewer, EMERGENCY_ACK)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(unlock(lead, 'sure')).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
    // The core operation checks the acknowledgement itself: a caller that skips the contract's schema is refused too.
    const seq = h.orch.brain.seq;
    await expect(
      runControl(h.orch.brain, lead, 'emergencyUnlock', { acknowledge: 'sure' as typeof EMERGENCY_ACK, reason: 'skipping the schema' }),
    ).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION', message: expect.stringContaining('needs the exact acknowledgement') });
    expect(h.orch.brain.seq).toBe(seq);
    expect(state().orchestrator.state).toBe('PANIC');
    await unlock(lead, EMERGENCY_ACK);
    expect(state().orchestrator.state).toBe('RUNNING');
    const orch = await (async () => {
      await h.orch.close();
      return h.restart();
    })();
    const entries = (await orch.control.call(viewer, 'queryAudit', { kinds: ['emergency_unlock'], limit: 5 })).entries;
    expect(entries).toMatchObject([{ actor: 'lena', role: 'lead', terminal: true, reason: 'engine restarted by hand' }]);
    expect(orch.control.state(viewer).orchestrator.state).toBe('RUNNING'); // the unlock itself was replayed
  });

  it("Brain > Limb: an engine reporting a structurally different scene is resynced from the orchestrator's last known good scene", async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'drift-structural' });
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await target.waitFor('resync');
    await target.waitFor('resync', (m) => m.body.reason.includes('Brain > Limb'));
    await target.until(() => target.scene.object('obj_1') !== undefined, 'obj_1 restored');
    expect(target.sceneHash).toBe(source.sceneHash);
    const [drift] = await audit(['drift_structural']);
    expect(drift!.reason).toContain('obj_1 (structural: missing on the engine)');
    expect(state().objects.counts.DIRTY).toBe(0);
  });
});

describe('Authority: roles', () => {
  it('Authority: roles are enforced in the core, not only in the UI', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    await h.sim({ name: 'blender', roles: ['source'] });
    await target.waitFor('resync');
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    const pid = agent.proposeEdit({
      mid: 'ai-1',
      targets: ['unity'],
      op: 'set_transform',
      objectId: 'obj_1',
      transform: { position: [1, 1, 1] },
    });
    await agent.until(() => agent.proposals.get(pid)?.status === 'pending', 'pending');
    const bad = await h.sim({ name: 'godot', roles: ['target'], scenario: 'malformed' });
    await bad.until(() => bad.closed !== null, 'godot PANIC'); // so emergencyUnlock and resetToken would have work to do
    await eventually(() => state().orchestrator.state === 'PANIC', 'PANIC');

    const why = 'trying above my role';
    const inputs: { [M in ControlMethod]: ControlInput<M> } = {
      getState: {},
      queryAudit: { limit: 5 },
      approve: { pids: [pid] },
      reject: { pids: [pid], reason: why },
      requestResnapshot: { objectId: 'obj_1', reason: why },
      emergencyUnlock: { acknowledge: EMERGENCY_ACK, reason: why },
      resetToken: { engine: 'godot', reason: why },
      resetBreaker: { engine: 'unity', reason: why },
      forceResync: { engine: 'unity', reason: why },
      setTrustThreshold: { value: 0, reason: why },
    };
    const roles: PersonRole[] = ['viewer', 'reviewer', 'lead'];
    const tried: string[] = [];
    for (const method of Object.keys(REQUIRED_ROLE) as ControlMethod[]) {
      for (const role of roles.slice(0, roles.indexOf(REQUIRED_ROLE[method]))) {
        await h.orch.brain.whenDurable();
        const before = {
          state: h.orch.brain.exportState(),
          seq: h.orch.brain.seq,
          walSeq: h.orch.brain.log.lastSeq,
          tokens: h.orch.tokens.list(),
          received: target.received.length,
        };
        await expect(
          h.orch.control.call({ name: `${role}-1`, role }, method, inputs[method]),
          `${method} as ${role}`,
        ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
        await h.orch.brain.whenDurable();
        expect(
          {
            state: h.orch.brain.exportState(),
            seq: h.orch.brain.seq,
            walSeq: h.orch.brain.log.lastSeq,
            tokens: h.orch.tokens.list(),
            received: target.received.length,
          },
          `${method} as ${role}`,
        ).toEqual(before);
        tried.push(`${method}:${role}`);
      }
    }
    // getState and queryAudit need only a viewer: there is no lower role to try.
    expect(tried.sort()).toEqual([
      'approve:viewer',
      'emergencyUnlock:reviewer',
      'emergencyUnlock:viewer',
      'forceResync:reviewer',
      'forceResync:viewer',
      'reject:viewer',
      'requestResnapshot:viewer',
      'resetBreaker:reviewer',
      'resetBreaker:viewer',
      'resetToken:reviewer',
      'resetToken:viewer',
      'setTrustThreshold:reviewer',
      'setTrustThreshold:viewer',
    ]);
    expect(agent.proposals.get(pid)?.status).toBe('pending');
    expect(state().orchestrator).toMatchObject({ state: 'PANIC', trustThreshold: 100 });
  });
});

describe('Drift taxonomy', () => {
  it('Numeric Drift: an engine snapshot differing only by float noise below the quantisation step writes no WAL record and triggers no resync', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    await h.sim({ name: 'blender', roles: ['source'] });
    await target.waitFor('resync');
    const seq = h.orch.brain.seq;
    const resyncs = target.received.filter((m) => m.type === 'resync').length;
    const scene = target.scene.toScene();
    const o = scene.objects.find((x) => x.id === 'obj_3')!;
    o.transform.position = [o.transform.position[0] + 2e-5, o.transform.position[1] - 2e-5, o.transform.position[2]]; // step: 1e-4 m
    scene.materials[0]!.roughness += 1e-6;
    target.scene.replace(scene);
    expect(target.scene.toScene()).not.toEqual(toScene(h.orch.brain.state.scene)); // the floats do differ…
    target.sendSnapshot('resync');
    // …but not the canonical form. Messages from one engine are handled in order: once this probe is
    // answered, the snapshot has been handled.
    const probe = target.send('tx_hash', { txId: 'no-such-tx', hash: 'a'.repeat(64) });
    await target.waitFor('error', (m) => m.body.ref === probe);
    expect(h.orch.brain.seq).toBe(seq);
    expect(target.received.filter((m) => m.type === 'resync')).toHaveLength(resyncs);
    expect(await audit(['drift_numeric', 'drift_structural', 'drift_semantic', 'resync'])).toEqual([]);
    expect(state().objects.counts.DIRTY).toBe(0);
  });

  it('Semantic Drift: a colour read in the wrong colour space asks a person: DIRTY with the reason, no automatic resync', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'drift-semantic' });
    await h.sim({ name: 'blender', roles: ['source'] });
    await target.waitFor('resync');
    await eventually(() => state().objects.counts.DIRTY === 1, 'material DIRTY');
    const [obj] = state().objects.notClean;
    expect(obj).toMatchObject({ id: 'mat_0', state: 'DIRTY', reason: expect.stringContaining('colour space') });
    expect(target.received.filter((m) => m.type === 'resync')).toHaveLength(1);
    const [drift] = await audit(['drift_semantic']);
    expect(drift!.summary).toContain('until a person');
  });

  it('Semantic Drift: an engine exporting in other units asks a person; the re-snapshot they request resolves it', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'drift-units' });
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await target.waitFor('resync');
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_2') === 'DIRTY', 'obj_2 DIRTY');
    expect(state().objects.notClean[0]!.reason).toMatch(/units: position is the orchestrator's × 100/);
    await h.orch.control.call(reviewer, 'requestResnapshot', { objectId: 'obj_2', reason: 'the source is right' });
    await eventually(() => state().objects.counts.DIRTY === 0, 'cleared by the source snapshot');
    await target.until(() => target.sceneHash === source.sceneHash, 'target resynced to the source');
  });

  it("Semantic Drift: a lead's forced resync of the engine decides it for the orchestrator and clears the DIRTY mark, with no source snapshot needed", async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'], scenario: 'drift-semantic' });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    source.sendSnapshot = () => ''; // the source never answers: only the person's decision can clear the mark
    await target.waitFor('resync');
    await eventually(() => state().objects.counts.DIRTY === 1, 'mat_0 DIRTY');
    const id = source.send('mutation', {
      mutation: { mid: 'mat-1', targets: ['unity'], op: 'set_material', materialId: 'mat_0', changes: { roughness: 0.25 } },
    });
    expect((await source.waitFor('error', (m) => m.body.ref === id)).body.code).toBe('BRANCH_DIRTY');
    await expect(
      h.orch.control.call(reviewer, 'forceResync', { engine: 'unity', reason: 'the orchestrator colour is right' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(state().objects.counts.DIRTY).toBe(1);
    await h.orch.control.call(lead, 'forceResync', { engine: 'unity', reason: 'the orchestrator colour is right' });
    expect(state().objects.counts.DIRTY).toBe(0);
    await target.until(
      () => target.sceneHash === hashing.sceneHash(toScene(h.orch.brain.state.scene)),
      'unity resynced to the orchestrator',
    );
    const [entry] = await audit(['resync']);
    expect(entry).toMatchObject({
      actor: 'lena',
      role: 'lead',
      summary: "unity resynced from the orchestrator's scene; 1 semantic-drift DIRTY mark(s) cleared",
    });
    const again = source.send('mutation', {
      mutation: { mid: 'mat-2', targets: ['unity'], op: 'set_material', materialId: 'mat_0', changes: { roughness: 0.25 } },
    });
    await source.waitFor('ack', (m) => m.body.ref === again);
  });
});

describe('Human Intervention', () => {
  it('Human Intervention: every terminal failure is recorded in the WAL and is still there, with PANIC, after a restart', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock });
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    const stuck = await h.sim({ name: 'godot', roles: ['target'], scenario: 'silent', clock });
    await target.waitFor('resync');
    agent.proposeScript('import os\nos.system("curl evil")\n', ['unity'], ['obj_1']);
    await eventually(() => state().engines.find((e) => e.name === 'claude')?.panic?.failure === 'Security Breach', 'Security Breach');
    await agent.until(() => agent.closed !== null, 'the breached agent is cut off');
    source.generation += 1;
    source.send('heartbeat', { seq: 1 });
    await source.until(() => source.closed !== null, 'drifted source closed');
    target.sendRaw('{"v":1,');
    await target.until(() => target.closed !== null, 'malformed target closed');
    await eventually(() => state().engines.filter((e) => e.state === 'PANIC').length === 3, 'three engines in PANIC');
    await eventually(() => !h.orch.brain.sessions.has('unity') && !h.orch.brain.sessions.has('blender'), 'closed sessions gone');
    // Deadlock: godot has been silent for more than 10 s (claude's session was closed by its breach).
    clock.advance(10_001);
    await stuck.waitFor('error', (m) => m.body.code === 'HEARTBEAT_TIMEOUT');
    expect(state().engines.find((e) => e.name === 'godot')).toMatchObject({ state: 'DEGRADED', breaker: 'open' });
    await h.orch.brain.whenDurable();
    await h.orch.close();
    const orch = await h.restart();
    const terminal = orch.control.state(viewer).audit.filter((a) => a.terminal);
    const rows = terminal.map((a) => (a.kind === 'panic' ? a.summary.split(':')[0] : `${a.kind} ${a.actor}: ${a.reason!.split(':')[0]}`));
    expect(rows.sort()).toEqual(['Contract Violation', 'Generation Drift', 'Security Breach', 'breaker_open godot: Deadlock']);
    expect(orch.control.state(viewer).orchestrator.state).toBe('PANIC');
    expect(
      orch.control
        .state(viewer)
        .engines.filter((e) => e.state === 'PANIC')
        .map((e) => e.name)
        .sort(),
    ).toEqual(['blender', 'claude', 'unity']);
  });
});
