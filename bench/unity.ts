// Unity package figures (`npm run bench -- unity`), from the C# core compiled with Mono's mcs:
// - inside the headless host (vibesync-unity-host.exe): a snapshot of 1,000 objects (JSON and scene
//   hash) and transaction apply + hash for 1 and for 1,000 objects, median of 15 after a warm-up;
// - through the real orchestrator, once the target simulator holds the host's 1,000-object scene
//   (same scene hash): one move made in the host → committed on the simulator, median of 15.
// Mono is not Unity's runtime (Unity uses its own Mono or IL2CPP): these figures are the core's
// cost on this machine, not an editor's. Without Mono the bench prints why and returns nothing.
import { rmSync } from 'node:fs';
import { startHarness } from '../test/support/harness.js';
import { UnityHost } from '../adapters/unity/testing/host-process.js';
import { buildPackage, hasMono, INSTALL_HINT } from '../adapters/unity/testing/mono.js';
import { median, round, type Figure } from './stats.js';

const OBJECTS = 1000;

export async function benchUnity(): Promise<Figure[]> {
  if (!hasMono) {
    console.log(JSON.stringify({ suite: 'unity', skipped: `mcs or mono is not installed; ${INSTALL_HINT}` }));
    return [];
  }
  const build = buildPackage();
  const figures: Figure[] = [];
  const h = await startHarness();
  try {
    const sim = await h.sim({ name: 'sim', roles: ['target'], objects: 0 });
    const { token } = h.orch.tokens.issue('adapter', 'unity');
    const host = new UnityHost(build.host, {
      VIBESYNC_URL: h.orch.url,
      VIBESYNC_TOKEN: token,
      VIBESYNC_NAME: 'unity',
      VIBESYNC_ROLES: 'source',
      VIBESYNC_TARGETS: 'sim',
      VIBESYNC_OBJECTS: String(OBJECTS),
    });
    try {
      await host.command(`bench ${OBJECTS} 3`, (e) => e.event === 'bench'); // warm-up (JIT)
      const b = await host.command(`bench ${OBJECTS} 15`, (e) => e.event === 'bench');
      const stat = 'median of 15, in the host';
      figures.push(
        { name: 'unity_core_snapshot_1k_objects', value: round(b.snapshotMs as number, 2), unit: 'ms', stat, bytes: b.snapshotBytes },
        { name: 'unity_core_tx_apply_hash_1_object', value: round(b.tx1Ms as number, 3), unit: 'ms', stat },
        { name: 'unity_core_tx_apply_hash_1k_objects', value: round(b.txAllMs as number, 2), unit: 'ms', stat },
      );

      // the host's snapshot of 1,000 objects, adopted through the orchestrator: the target holds the same hash
      const s = await host.state();
      await sim.until(() => sim.sceneHash === s.hash, 'the simulator adopted the host snapshot', 60_000);

      const samples: number[] = [];
      for (let i = 0; i < 15; i++) {
        const before = sim.committed;
        const start = performance.now();
        await host.command(`move u_${i} ${i + 0.25} 1 2`);
        await sim.until(() => sim.committed > before, 'committed', 10_000);
        samples.push(performance.now() - start);
      }
      figures.push({ name: 'unity_host_move_to_target_commit_1k', value: round(median(samples), 1), unit: 'ms', stat: 'median of 15' });
    } finally {
      await host.stop();
    }
  } finally {
    await h.stopAll();
    rmSync(build.dir, { recursive: true, force: true });
  }
  return figures;
}
