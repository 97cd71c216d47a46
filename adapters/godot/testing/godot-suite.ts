// What the Godot integration test files share: the golden vector files, and headless Godot 3 beside
// a real orchestrator (127.0.0.1, port 0, fresh data folder), either as a target fed by the simulator
// or as a source feeding a simulator target. A setup that fails stops what it started.
import { join } from 'node:path';
import { hashing } from '../../../shared/canonical/index.js';
import { toScene } from '../../../electron/core/brain/scene-model.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import type { SimAdapter } from '../../sim/sim-adapter.js';
import { GODOT_PROJECT, GodotProcess } from './godot-process.js';

const GOLDEN = join(GODOT_PROJECT, '..', '..', 'data', 'golden');
export const VECTORS = join(GOLDEN, 'canonical-vectors.json');
export const MESH_VECTORS = join(GOLDEN, 'mesh-vectors.json');
export const LIVE_VECTORS = join(GOLDEN, 'live-vectors.json');

/** The orchestrator's scene hash: what every engine's hash must equal. */
export const orchestratorHash = (h: Harness) => hashing.sceneHash(toScene(h.orch.brain.state.scene));

/** Godot connected to `h` as the adapter named godot, with its roles (and targets) in `env`. */
const connectGodot = (h: Harness, env: Record<string, string>) => {
  const { token } = h.orch.tokens.issue('adapter', 'godot');
  return new GodotProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'godot', ...env });
};

/** Stops what a setup that failed half way had started, so a failed beforeAll leaves nothing running. */
async function stopStarted(h: Harness, godot: GodotProcess | undefined): Promise<void> {
  await godot?.stop();
  await h.stopAll();
}

export interface GodotTarget {
  h: Harness;
  sim: SimAdapter;
  godot: GodotProcess;
}

/** Godot as a target, the simulator (30 objects, seed 7) as its source; resolves once Godot took its first resync. */
export async function startGodotTarget(): Promise<GodotTarget> {
  const h = await startHarness();
  let godot: GodotProcess | undefined;
  try {
    const sim = await h.sim({ name: 'sim', roles: ['source'], objects: 30, seed: 7, targets: ['godot'] });
    await eventually(() => h.orch.brain.state.scene.objects.size === 30, 'simulator snapshot adopted');
    godot = connectGodot(h, { VIBESYNC_ROLES: 'target' });
    await godot.waitFor((e) => e.event === 'resync', 20_000);
    return { h, sim, godot };
  } catch (e) {
    await stopStarted(h, godot);
    throw e;
  }
}

export interface GodotSource {
  h: Harness;
  target: SimAdapter;
  godot: GodotProcess;
}

/** Godot as a source routing to a simulator target named unity; resolves once Godot sent its initial snapshot. */
export async function startGodotSource(): Promise<GodotSource> {
  const h = await startHarness();
  let godot: GodotProcess | undefined;
  try {
    const target = await h.sim({ name: 'unity', roles: ['target'], objects: 0 });
    godot = connectGodot(h, { VIBESYNC_ROLES: 'source', VIBESYNC_TARGETS: 'unity' });
    await godot.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 20_000);
    return { h, target, godot };
  } catch (e) {
    await stopStarted(h, godot);
    throw e;
  }
}
