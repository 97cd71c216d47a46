// An engine that is both source and target (Blender) connecting to a scene the orchestrator holds:
// one resync, and its `initial` snapshot — sent on welcome, before it applied that resync — is not
// taken for drift.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashing } from '../../../shared/canonical/index.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import { SimAdapter } from '../../../adapters/sim/sim-adapter.js';
import { toScene } from './scene-model.js';
import { openWal } from '../wal/index.js';

let h: Harness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.stopAll();
});

const viewer = { name: 'vic', role: 'viewer' as const };
const resyncs = (sim: SimAdapter) => sim.received.filter((m) => m.type === 'resync').length;

/** Every frame `sim` sent before this one has been handled: the orchestrator answers the probe after them. */
async function barrier(sim: SimAdapter) {
  const ref = sim.send('tx_done', { txId: 'probe', outcome: 'committed' });
  await sim.waitFor('error', (m) => m.body.ref === ref);
}

describe('connecting as source and target', () => {
  it('to a scene the orchestrator holds: resynced once, and no drift is recorded for the snapshot that crossed the resync', async () => {
    h = await startHarness();
    await h.sim({ name: 'maya', roles: ['source'], seed: 1 });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene adopted');
    const blender = await h.sim({ name: 'blender', roles: ['source', 'target'], seed: 2 });
    await blender.waitFor('resync');
    await barrier(blender);
    expect(resyncs(blender)).toBe(1);
    expect(h.orch.control.state(viewer).audit.filter((a) => a.kind.startsWith('drift'))).toEqual([]);
    expect(blender.sceneHash).toBe(hashing.sceneHash(toScene(h.orch.brain.state.scene)));
  });

  it('a resync that arrives while the initial snapshot waits for its blobs answers it: that snapshot is never sent', async () => {
    h = await startHarness();
    await h.sim({ name: 'maya', roles: ['source'], seed: 1 });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene adopted');
    const snapshots = vi.spyOn(SimAdapter.prototype, 'sendSnapshot');
    const blender = await h.sim({ name: 'blender', roles: ['source', 'target'], seed: 2 });
    expect(blender.blobs.size).toBeGreaterThan(0); // its meshes go up (ask, then send) before its snapshot
    await blender.waitFor('resync');
    await blender.waitFor('blob_stored');
    await barrier(blender);
    await barrier(blender);
    expect(snapshots.mock.contexts.filter((c) => c === blender)).toEqual([]);
    expect(resyncs(blender)).toBe(1);
    expect(blender.sceneHash).toBe(hashing.sceneHash(toScene(h.orch.brain.state.scene)));
  });

  it('while the first scene is being made durable: resynced once, on connect, not again when the write lands', async () => {
    // The scene applies at once and is durable only when its WAL write resolves; hold that write open.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h = await startHarness({
      openWal: async (dir, o) => {
        const opened = await openWal(dir, o);
        const append = opened.log.append.bind(opened.log);
        opened.log.append = async (record) => {
          if ((record as { t?: string }).t === 'scene') await gate;
          return append(record);
        };
        return opened;
      },
    });
    const maya = await h.sim({ name: 'maya', roles: ['source'], seed: 1 });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene applied');
    const blender = await h.sim({ name: 'blender', roles: ['source', 'target'], seed: 2 });
    await blender.waitFor('resync');
    release();
    await barrier(maya); // maya's snapshot, and the resyncs that follow its write, are handled
    await barrier(blender);
    expect(resyncs(blender)).toBe(1);
    expect(blender.sceneHash).toBe(hashing.sceneHash(toScene(h.orch.brain.state.scene)));
  });

  it('when its snapshot will be adopted (the scene is empty), it is not resynced first: its own scene becomes the scene', async () => {
    h = await startHarness();
    const blender = await h.sim({ name: 'blender', roles: ['source', 'target'], seed: 2 });
    await eventually(() => h.orch.brain.state.scene.objects.size > 0, 'scene adopted');
    await barrier(blender);
    expect(resyncs(blender)).toBe(0);
    expect(hashing.sceneHash(toScene(h.orch.brain.state.scene))).toBe(blender.sceneHash);
  });
});
