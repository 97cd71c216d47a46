import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const reviewer = { name: 'rita', role: 'reviewer' as const };
const lead = { name: 'lena', role: 'lead' as const };
const viewer = { name: 'vic', role: 'viewer' as const };

describe('overrides', () => {
  it('Overrides: forceResync (lead) sends the orchestrator scene and records who and why', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    await h.sim({ name: 'blender', roles: ['source'] });
    await target.waitFor('resync');
    await expect(h.orch.control.call(reviewer, 'forceResync', { engine: 'unity', reason: 'looks off' })).rejects.toMatchObject({
      code: 'FORBIDDEN_ROLE',
    });
    await expect(h.orch.control.call(lead, 'forceResync', { engine: 'nobody', reason: 'looks off' })).rejects.toMatchObject({
      code: 'UNKNOWN_TARGET',
    });
    await h.orch.control.call(lead, 'forceResync', { engine: 'unity', reason: 'artist saw a wrong chair' });
    await target.waitFor('resync', (m) => m.body.reason.includes('artist saw a wrong chair'));
    const { entries } = await h.orch.control.call(viewer, 'queryAudit', { text: 'wrong chair', limit: 5 });
    expect(entries).toMatchObject([{ kind: 'resync', actor: 'lena', role: 'lead' }]);
  });

  it('a target that reports it could not hold its resync shows so on the engine and in /healthz, until a forced resync', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'godot', roles: ['target'] });
    await h.sim({ name: 'blender', roles: ['source'] });
    const resync = await target.waitFor('resync');
    const godot = () => h.orch.control.state(viewer).engines.find((e) => e.name === 'godot')!;
    expect(godot().cannotHold).toBeNull();
    target.send('error', { code: 'TARGET_FAILED', message: 'obj_3: an area light (Godot 3 has none)', ref: resync.id, txId: null });
    await eventually(() => godot().cannotHold !== null, 'the report shown');
    expect(godot().cannotHold!.message).toBe('obj_3: an area light (Godot 3 has none)');
    expect(godot().state).toBe('HEALTHY'); // it stays in sync for what it can hold
    expect(h.orch.healthz()).toMatchObject({ targetsNotHolding: 1 });
    await h.orch.control.call(lead, 'forceResync', { engine: 'godot', reason: 'try again' });
    await target.waitFor('resync', (m) => m.body.reason.includes('try again'));
    expect(godot().cannotHold).toBeNull();
    expect(h.orch.healthz()).toMatchObject({ targetsNotHolding: 0 });
  });

  it("Overrides: requestResnapshot (reviewer) asks the object's source and adopts its answer", async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene');
    await expect(h.orch.control.call(reviewer, 'requestResnapshot', { objectId: 'ghost', reason: 'check it' })).rejects.toMatchObject({
      code: 'UNKNOWN_OBJECT',
    });
    const res = await h.orch.control.call(reviewer, 'requestResnapshot', { objectId: 'obj_3', reason: 'check it' });
    expect(res).toEqual({ objectId: 'obj_3', engine: 'blender' });
    const req = await source.waitFor('snapshot_request');
    expect(req.body.objectIds).toEqual(['obj_3']);
    await eventually(
      () => h.orch.brain.state.audit.some((a) => a.kind === 'snapshot' && a.reason === 'requested'),
      'requested snapshot adopted',
    );
  });

  it('Overrides: requestResnapshot of a material (a DIRTY material is one) asks its source for the whole scene (issue 10 item 14)', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene');
    expect(h.orch.brain.state.scene.materials.has('mat_0')).toBe(true);
    const res = await h.orch.control.call(reviewer, 'requestResnapshot', { objectId: 'mat_0', reason: 'material looks wrong' });
    expect(res).toEqual({ objectId: 'mat_0', engine: 'blender' });
    const req = await source.waitFor('snapshot_request');
    expect(req.body.objectIds).toBeNull();
    await eventually(
      () => h.orch.brain.state.audit.some((a) => a.kind === 'snapshot' && a.reason === 'requested'),
      'requested snapshot adopted',
    );
    await expect(h.orch.control.call(reviewer, 'requestResnapshot', { objectId: 'mat_ghost', reason: 'check it' })).rejects.toMatchObject({
      code: 'UNKNOWN_OBJECT',
      message: expect.stringContaining('no object or material "mat_ghost"'),
    });
  });
});
