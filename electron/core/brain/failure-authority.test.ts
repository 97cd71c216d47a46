// failure-modes.md "Authority & Override" and "Human Intervention", and the drift taxonomy, over
// real WebSocket connections with the simulator. Test names start with the row they prove.
import { afterEach, describe, expect, it } from 'vitest';
import { EMERGENCY_ACK } from '../../../shared/ipc/index.js';
import { eventually, startHarness, type Harness } from './test-harness.js';

let h: Harness;
afterEach(async () => { await h?.stopAll(); });

const viewer = { name: 'vic', role: 'viewer' as const };
const reviewer = { name: 'rita', role: 'reviewer' as const };
const lead = { name: 'lena', role: 'lead' as const };
const state = () => h.orch.control.state(viewer);
const audit = async (kinds: string[]) => (await h.orch.control.call(viewer, 'queryAudit', { kinds, limit: 20 })).entries;

describe('Authority & Override', () => {
  it('Human > AI: trust mode never auto-approves a script the scanner flagged, whatever the agent\'s trust', async () => {
    // A scanner that flags (warn, not block) any use of bpy.ops: a script touching a sensitive area.
    const scanner = { scan: (code: string) => (code.includes('bpy.ops') ? [{ rule: 'ops', message: 'operator call', line: 1, column: 0, severity: 'warn' as const }] : []) };
    h = await startHarness({ scanner });
    await h.sim({ name: 'unity', roles: ['target'] });
    await h.sim({ name: 'blender', roles: ['source'] });
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 0, reason: 'trust everything' });
    const flagged = agent.proposeScript('import bpy\nbpy.ops.object.delete()\n', ['unity'], ['obj_1']);
    const clean = agent.proposeScript('import bpy\nbpy.data.objects["obj_2"].location.x = 1\n', ['unity'], ['obj_2']);
    await agent.until(() => agent.proposals.get(clean)?.status === 'applied', 'clean script auto-approved');
    expect(agent.proposals.get(flagged)?.status).toBe('pending');
    expect(state().pending.map((p) => p.pid)).toEqual([flagged]);
  });

  it('Emergency Override: emergency_unlock is refused outside PANIC and to non-leads, needs the acknowledgement, and is written to the WAL', async () => {
    h = await startHarness();
    await h.sim({ name: 'blender', roles: ['source'], objects: 12 });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene');
    const unlock = (actor: typeof lead | typeof reviewer, acknowledge: string) => h.orch.control.call(actor, 'emergencyUnlock', { acknowledge, reason: 'engine restarted by hand' });
    await expect(unlock(lead, EMERGENCY_ACK)).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION', message: expect.stringContaining('only available while the orchestrator is in PANIC') });
    const bad = await h.sim({ name: 'godot', roles: ['target'], scenario: 'malformed' });
    await bad.until(() => bad.closed !== null, 'PANIC');
    await eventually(() => state().orchestrator.state === 'PANIC', 'PANIC');
    await expect(unlock(reviewer, EMERGENCY_ACK)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(unlock(lead, 'sure')).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
    expect(state().orchestrator.state).toBe('PANIC');
    await unlock(lead, EMERGENCY_ACK);
    expect(state().orchestrator.state).toBe('RUNNING');
    const orch = await (async () => { await h.orch.close(); return h.restart(); })();
    const entries = (await orch.control.call(viewer, 'queryAudit', { kinds: ['emergency_unlock'], limit: 5 })).entries;
    expect(entries).toMatchObject([{ actor: 'lena', role: 'lead', terminal: true, reason: 'engine restarted by hand' }]);
    expect(orch.control.state(viewer).orchestrator.state).toBe('RUNNING'); // the unlock itself was replayed
  });

  it('Brain > Limb: an engine reporting a structurally different scene is resynced from the orchestrator\'s last known good scene', async () => {
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

describe('Drift taxonomy', () => {
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
});

describe('Human Intervention', () => {
  it('Human Intervention: every terminal failure is recorded in the WAL and is still there, with PANIC, after a restart', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    await target.waitFor('resync');
    agent.proposeScript('import os\nos.system("curl evil")\n', ['unity'], ['obj_1']);
    await eventually(() => state().orchestrator.panic?.failure === 'Security Breach', 'Security Breach');
    source.generation += 1;
    source.send('heartbeat', { seq: 1 });
    await source.until(() => source.closed !== null, 'drifted source closed');
    target.sendRaw('{"v":1,');
    await target.until(() => target.closed !== null, 'malformed target closed');
    await eventually(() => state().engines.filter((e) => e.state === 'PANIC').length === 3, 'three engines in PANIC');
    await h.orch.brain.whenDurable();
    await h.orch.close();
    const orch = await h.restart();
    const terminal = orch.control.state(viewer).audit.filter((a) => a.terminal && a.kind === 'panic').map((a) => a.summary.split(':')[0]).sort();
    expect(terminal).toEqual(['Contract Violation', 'Generation Drift', 'Security Breach']);
    expect(orch.control.state(viewer).orchestrator.state).toBe('PANIC');
    expect(orch.control.state(viewer).engines.filter((e) => e.state === 'PANIC').map((e) => e.name).sort()).toEqual(['blender', 'claude', 'unity']);
  });
});
