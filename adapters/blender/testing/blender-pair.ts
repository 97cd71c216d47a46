// Two headless Blenders on one real orchestrator: `blender` (source, sending to `blender2`) and
// `blender2` (target). Resolves once the source's initial snapshot is adopted and the target has
// been resynced to it, the starting point of every Blender → Blender round-trip test.
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import { BlenderProcess } from './blender-process.js';

/** One Blender connected to `h`'s orchestrator with its own adapter token. */
export function startBlender(h: Harness, name: string, targets: string): BlenderProcess {
  const { token } = h.orch.tokens.issue('adapter', name);
  return new BlenderProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: name, VIBESYNC_TARGETS: targets });
}

export async function startBlenderPair(h: Harness): Promise<{ source: BlenderProcess; target: BlenderProcess }> {
  const source = startBlender(h, 'blender', 'blender2');
  await source.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 30_000);
  await eventually(() => h.orch.brain.state.sceneAdopted, 'source scene adopted', 15_000);
  const target = startBlender(h, 'blender2', '');
  await target.waitFor((e) => e.event === 'resynced', 30_000);
  return { source, target };
}

export interface BlenderPair {
  h: Harness;
  source: BlenderProcess;
  target: BlenderProcess;
}

/**
 * Registers a suite's `beforeAll`/`afterAll`: a silent orchestrator with a started Blender pair,
 * stopped after the suite. The fields are set once `beforeAll` ran; read them inside tests.
 */
export function useBlenderPair(): BlenderPair {
  const pair = {} as BlenderPair;
  beforeAll(async () => {
    pair.h = await startHarness({ logger: pino({ level: 'silent' }) });
    Object.assign(pair, await startBlenderPair(pair.h));
  }, 90_000);
  afterAll(async () => {
    await pair.source?.stop();
    await pair.target?.stop();
    await pair.h?.stopAll();
  });
  return pair;
}
