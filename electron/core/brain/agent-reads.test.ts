// Issue 13 items 1–2 and issue 9 item 5: agents read the scene (scene_request → scene_page), a pid is
// unique for good (across restarts too), and one agent cannot fill the review queue.
import { hashing } from '../../../shared/canonical/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SCENE_PAGE_MAX_BYTES, type Mutation, type OrchestratorMessage } from '../../../shared/protocol/index.js';

type ScenePageMsg = Extract<OrchestratorMessage, { type: 'scene_page' }>;
import { startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const reviewer = { name: 'rita', role: 'reviewer' as const };
const viewer = { name: 'vic', role: 'viewer' as const };
const move = (id: string, x: number): Mutation => ({
  mid: `m-${id}-${x}`,
  targets: ['unity'],
  op: 'set_transform',
  objectId: id,
  transform: { position: [x, 0, 0] },
});

async function world(config: Record<string, number> = {}) {
  h = await startHarness({ config });
  const target = await h.sim({ name: 'unity', roles: ['target'] });
  const source = await h.sim({ name: 'blender', roles: ['source'], objects: 40 });
  await target.waitFor('resync');
  const agent = await h.sim({ name: 'claude', roles: ['agent'] });
  return { target, source, agent };
}

describe('agents read the scene', () => {
  it('pages the authoritative scene with ID-map states and the WAL seq, and changes nothing', async () => {
    const { agent } = await world();
    const pid = 'p-read-1';
    agent.send('proposal', { kind: 'edit', pid, rationale: 'x', mutation: move('obj_1', 5) });
    await agent.until(() => agent.proposals.get(pid)?.status === 'pending', 'pending');
    const exported = h.orch.brain.exportState();
    const seqBefore = h.orch.brain.seq;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const ref: string = agent.send('scene_request', { objectIds: null, cursor, limit: 7 });
      const page: ScenePageMsg = await agent.waitFor('scene_page', (m): boolean => m.body.ref === ref);
      expect(page.body.seq).toBe(seqBefore);
      expect(page.body.objects.length + page.body.materials.length).toBeLessThanOrEqual(7);
      expect(JSON.stringify(page).length).toBeLessThan(SCENE_PAGE_MAX_BYTES);
      for (const o of page.body.objects) {
        seen.push(o.object.id);
        expect(o.object).toEqual(exported.scene.objects.find((x) => x.id === o.object.id));
        expect(o.state).toBe(o.object.id === 'obj_1' ? 'PENDING' : 'CLEAN');
      }
      for (const m of page.body.materials) seen.push(`m/${m.material.id}`);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);
    expect(seen.length).toBe(exported.scene.objects.length + exported.scene.materials.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(h.orch.brain.seq).toBe(seqBefore);
    expect(h.orch.brain.exportState()).toEqual(exported);
  });

  it('reads chosen ids and names the ones the scene does not hold', async () => {
    const { agent } = await world();
    const ref = agent.send('scene_request', { objectIds: ['obj_2', 'nope', 'obj_1'], cursor: null, limit: 10 });
    const page = await agent.waitFor('scene_page', (m) => m.body.ref === ref);
    expect(page.body.objects.map((o) => o.object.id)).toEqual(['obj_1', 'obj_2']);
    expect(page.body.missing).toEqual(['nope']);
    expect(page.body.engines).toEqual([
      { name: 'blender', roles: ['source'] },
      { name: 'claude', roles: ['agent'] },
      { name: 'unity', roles: ['target'] },
    ]);
    expect(page.body.nextCursor).toBeNull();
  });

  it('refuses a source reading the scene (agent role only) and a forged cursor, typed', async () => {
    const { source, agent } = await world();
    const r1 = source.send('scene_request', { objectIds: null, cursor: null, limit: 5 });
    const r2 = agent.send('scene_request', { objectIds: null, cursor: 'zz', limit: 5 });
    await source.until(() => source.stats.errors.some((e) => e.ref === r1), 'source refused');
    await agent.until(() => agent.stats.errors.some((e) => e.ref === r2), 'cursor refused');
    expect(source.stats.errors.find((e) => e.ref === r1)!.code).toBe('FORBIDDEN_ROLE');
    expect(agent.stats.errors.find((e) => e.ref === r2)!.code).toBe('SCHEMA_VIOLATION');
  });

  it('refuses a snapshot from an agent (FORBIDDEN_ROLE): it proposes, it never states the scene', async () => {
    const { source, agent } = await world();
    const before = h.orch.brain.exportState().scene;
    const scene = source.scene.toScene();
    const r = agent.send('snapshot', {
      reason: 'initial',
      scene: { ...scene, objects: scene.objects.slice(1) },
      hash: hashing.sceneHash(scene),
    });
    await agent.until(() => agent.stats.errors.some((e) => e.ref === r), 'snapshot refused');
    expect(agent.stats.errors.find((e) => e.ref === r)!.code).toBe('FORBIDDEN_ROLE');
    expect(agent.received.some((m) => m.type === 'resync')).toBe(false);
    expect(h.orch.brain.exportState().scene).toEqual(before);
  });
});

describe('proposal ids are unique for good', () => {
  it('same pid and content → the current status; other content → PID_CONFLICT; both after a restart too', async () => {
    const { agent } = await world();
    const body = { kind: 'edit' as const, pid: 'claude-p4', rationale: 'move it', mutation: move('obj_1', 3) };
    agent.send('proposal', body);
    await agent.until(() => agent.proposals.get('claude-p4')?.status === 'pending', 'pending');
    await h.orch.control.call(reviewer, 'reject', { pids: ['claude-p4'], reason: 'not now' });
    await agent.until(() => agent.proposals.get('claude-p4')?.status === 'rejected', 'rejected');
    agent.proposals.clear();
    agent.send('proposal', body);
    await agent.until(() => agent.proposals.get('claude-p4')?.status === 'rejected', 'idempotent re-send');
    expect(agent.proposals.get('claude-p4')!.reason).toContain('not now');
    const ref = agent.send('proposal', { ...body, rationale: 'something else' });
    await agent.until(() => agent.stats.errors.some((e) => e.ref === ref), 'conflict');
    expect(agent.stats.errors.find((e) => e.ref === ref)!.code).toBe('PID_CONFLICT');

    // The WAL knows every pid ever seen: after a restart the same pid is still taken.
    for (const s of h.sims) s.crash();
    await h.orch.close();
    await h.restart();
    const again = await h.sim({ name: 'claude2', roles: ['agent'] });
    const ref2 = again.send('proposal', body);
    await again.until(() => again.stats.errors.some((e) => e.ref === ref2), 'conflict after restart');
    expect(again.stats.errors.find((e) => e.ref === ref2)!.code).toBe('PID_CONFLICT');
    expect(h.orch.control.state(viewer).pending).toEqual([]);
  });

  it('caps pending proposals per agent with PENDING_LIMIT, which costs trust and records nothing', async () => {
    const { agent } = await world({ maxPendingPerAgent: 3 });
    const trustOf = () => h.orch.control.state(viewer).engines.find((e) => e.name === 'claude')!.trust;
    for (let i = 1; i <= 3; i++) agent.send('proposal', { kind: 'edit', pid: `cap-${i}`, rationale: '', mutation: move(`obj_${i}`, i) });
    await agent.until(() => agent.proposals.get('cap-3')?.status === 'pending', 'three pending');
    const trust = trustOf();
    const ref = agent.send('proposal', { kind: 'edit', pid: 'cap-4', rationale: '', mutation: move('obj_4', 4) });
    await agent.until(() => agent.stats.errors.some((e) => e.ref === ref), 'refused');
    expect(agent.stats.errors.find((e) => e.ref === ref)!.code).toBe('PENDING_LIMIT');
    expect(
      h.orch.control
        .state(viewer)
        .pending.map((p) => p.pid)
        .sort(),
    ).toEqual(['cap-1', 'cap-2', 'cap-3']);
    expect(trustOf()).toBeLessThan(trust);
    expect(h.orch.brain.state.pids.has('cap-4')).toBe(false);
  });
});
