// A slow target cannot make lag and memory grow without bound (issue 9, item 7). A source streams
// 200 objects at 60 Hz to a target whose every import takes 2 s. The target's queue never holds
// more than maxTargetBacklog changes (plus one frame): once it is that far behind it is resynced
// from the orchestrator's scene instead of being fed its backlog, so the latest state wins, and
// when the stream stops the target holds exactly the orchestrator's scene.
import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../shared/canonical/index.js';
import { toScene } from '../electron/core/brain/scene-model.js';
import { eventually, startHarness, type Harness } from './support/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stopAll();
  h = null;
});

describe('a slow target is bounded: resynced from the scene once too far behind', () => {
  it('200 objects at 60 Hz into a 2 s importer: queue bounded, resyncs sent, final state equal', async () => {
    const maxTargetBacklog = 4000;
    h = await startHarness({ config: { maxTargetBacklog } });
    const target = await h.sim({ name: 'unity', roles: ['target'], importMs: 2000 });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 200, moving: 200, seed: 5 });
    await eventually(() => h!.orch.brain.state.scene.objects.size === 200, 'scene adopted', 10_000);
    let maxQueue = 0;
    const sampler = setInterval(() => {
      maxQueue = Math.max(maxQueue, h!.orch.brain.sessions.get('unity')?.queue.length ?? 0);
    }, 2);
    for (let frame = 0; frame < 180; frame++) {
      source.streamFrame();
      await new Promise((r) => setTimeout(r, 16));
    }
    await source.until(() => source.stats.acked >= 180, 'every frame acked', 60_000);
    clearInterval(sampler);
    expect(maxQueue).toBeLessThanOrEqual(maxTargetBacklog + 200);
    const resyncs = target.received.filter((m) => m.type === 'resync' && /changes waiting/.test(m.body.reason));
    expect(resyncs.length).toBeGreaterThan(0);
    // Once the stream stops, the target converges on the orchestrator's scene: the latest state won.
    const want = hashing.sceneHash(toScene(h.orch.brain.state.scene));
    await target.until(() => target.sceneHash === want, 'the target holds the orchestrator scene', 30_000);
    expect(h.orch.healthz()).toMatchObject({ orchestrator: 'RUNNING', panic: false });
  }, 120_000);
});
