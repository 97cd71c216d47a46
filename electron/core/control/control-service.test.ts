import { afterEach, describe, expect, it } from 'vitest';
import type { PanelUpdate } from '../../../shared/ipc/index.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const lead = { name: 'lena', role: 'lead' as const };

describe('ControlService', () => {
  it('batches updates: at most 10 flushes per second under a 60 Hz stream, and the last one is current', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, config: { heartbeatTimeoutMs: 3_600_000 } });
    const target = await h.sim({ name: 'unity', roles: ['target'], clock, scenario: 'silent' });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], clock, scenario: 'silent' });
    await target.waitFor('resync');
    const flushes: Array<{ at: number; updates: PanelUpdate[] }> = [];
    const unsubscribe = h.orch.control.subscribe((updates) => flushes.push({ at: clock.now(), updates }));
    const start = clock.now();
    let mutations = 0;
    for (let frame = 0; frame < 180; frame++) {
      // 3 s at 60 Hz
      mutations += source.streamFrame().length;
      await source.until(() => source.stats.acked === frame + 1, `ack ${frame}`);
      clock.advance(1000 / 60);
    }
    await eventually(
      () => h.orch.brain.sessions.get('unity')!.queue.length === 0 && !h.orch.brain.sessions.get('unity')!.inflight,
      'target drained',
    );
    clock.advance(100);
    unsubscribe();

    const seconds = (clock.now() - start) / 1000;
    expect(flushes.length).toBeGreaterThan(5);
    expect(flushes.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1);
    for (let i = 1; i < flushes.length; i++) expect(flushes[i]!.at - flushes[i - 1]!.at).toBeGreaterThanOrEqual(100);
    const lastEngines = flushes
      .flatMap((f) => f.updates)
      .filter((u) => u.kind === 'engines')
      .at(-1);
    const blender = lastEngines?.kind === 'engines' ? lastEngines.engines.find((e) => e.name === 'blender') : undefined;
    expect(blender!.throughput.reduce((a, b) => a + b, 0)).toBe(mutations);
  });

  it('refreshes engine views every second while an engine is connected, even when nothing else changes (issue 10 item 10)', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, config: { heartbeatTimeoutMs: 3_600_000 } });
    await h.sim({ name: 'unity', roles: ['target'], clock, scenario: 'silent' });
    await eventually(() => h.orch.brain.sessions.has('unity'), 'unity connected');
    const flushes: PanelUpdate[][] = [];
    const unsubscribe = h.orch.control.subscribe((updates) => flushes.push(updates));
    clock.advance(100);
    flushes.length = 0;
    // Nothing happens for 3 s (a halted pipeline): the panel still gets fresh engine views.
    for (let i = 0; i < 3; i++) clock.advance(1000);
    unsubscribe();
    const engineFlushes = flushes.filter((u) => u.some((x) => x.kind === 'engines'));
    expect(engineFlushes.length).toBeGreaterThanOrEqual(2);
  });

  it('validates input (SCHEMA_VIOLATION) and leaves state alone', async () => {
    h = await startHarness();
    const before = h.orch.brain.exportState();
    await expect(h.orch.control.call(lead, 'setTrustThreshold', { value: 101, reason: 'too high' })).rejects.toMatchObject({
      code: 'SCHEMA_VIOLATION',
    });
    await expect(h.orch.control.call(lead, 'setTrustThreshold', { value: 10, reason: '' })).rejects.toMatchObject({
      code: 'SCHEMA_VIOLATION',
    });
    await expect(h.orch.control.call(lead, 'reject', { pids: ['p'], reason: 'why', extra: 1 })).rejects.toMatchObject({
      code: 'SCHEMA_VIOLATION',
    });
    await expect(h.orch.control.call(lead, 'nope' as 'getState', {})).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
    expect(h.orch.brain.exportState()).toEqual(before);
  });

  it('delivers pending_added / pending_removed and audit entries to subscribers', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, config: { heartbeatTimeoutMs: 3_600_000 } });
    await h.sim({ name: 'unity', roles: ['target'], clock, scenario: 'silent' });
    await h.sim({ name: 'blender', roles: ['source'], clock, scenario: 'silent' });
    const agent = await h.sim({ name: 'claude', roles: ['agent'], clock, scenario: 'silent' });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene');
    const seen: PanelUpdate[] = [];
    h.orch.control.subscribe((u) => seen.push(...u));
    const pid = agent.proposeEdit({
      mid: 'a',
      targets: ['unity'],
      op: 'set_transform',
      objectId: 'obj_0',
      transform: { position: [1, 2, 3] },
    });
    await agent.until(() => agent.proposals.get(pid)?.status === 'pending', 'pending');
    clock.advance(100);
    expect(seen.find((u) => u.kind === 'pending_added')).toMatchObject({ items: [{ pid, agent: 'claude' }] });
    await h.orch.control.call({ name: 'rita', role: 'reviewer' }, 'reject', { pids: [pid], reason: 'no thanks' });
    clock.advance(100);
    expect(seen.find((u) => u.kind === 'pending_removed')).toEqual({ kind: 'pending_removed', pids: [pid] });
    const audit = seen.filter((u) => u.kind === 'audit_added').flatMap((u) => (u.kind === 'audit_added' ? u.entries : []));
    expect(audit.map((e) => e.kind)).toContain('reject');
  });
});
