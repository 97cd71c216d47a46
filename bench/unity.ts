// Unity package figures (`npm run bench -- unity`), from the C# core compiled with Mono's mcs:
// - inside the headless host (vibesync-unity-host.exe): a snapshot of 1,000 objects (JSON and scene
//   hash) and transaction apply + hash for 1 and for 1,000 objects, median of 15 after a warm-up;
// - through the real orchestrator, once the target simulator holds the host's 1,000-object scene
//   (same scene hash): one move made in the host → committed on the simulator, median of 15.
// - the first sync of a 1,000,000-vertex mesh (bench/blobs.ts's grid, one VSM1 blob) from the
//   simulator as source to a fresh host as target, timed in the host, median of 5 fresh hosts:
//   welcome → the blob received whole and verified; → the resync applied (the blob decoded and held
//   as float32); → the hash of what it holds (re-encoded and hashed); and the whole. Then, in one
//   host, decode + hold and re-encode + hash alone (median of 5 after a warm-up).
// Mono is not Unity's runtime (Unity uses its own Mono or IL2CPP): these figures are the core's
// cost on this machine, not an editor's. Without Mono the bench prints why and returns nothing.
import { rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { startHarness } from '../test/support/harness.js';
import { meshSummaryOf } from '../shared/canonical/index.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { UnityHost } from '../adapters/unity/testing/host-process.js';
import { buildPackage, hasMono, INSTALL_HINT } from '../adapters/unity/testing/mono.js';
import { median, round, type Figure } from './stats.js';
import { grid } from './blobs.js';

const OBJECTS = 1000;
const FIRST_SYNC_RUNS = 5;

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
    figures.push(...(await firstSync1m(build.host)));
  } finally {
    await h.stopAll();
    rmSync(build.dir, { recursive: true, force: true });
  }
  return figures;
}

interface FirstSync {
  hash: string;
  vertices: number;
  receiveMs: number;
  applyMs: number;
  hashMs: number;
  totalMs: number;
}

/** A 1,000,000-vertex mesh in the first sync of fresh hosts (timed in the host), then decode and re-encode alone. */
async function firstSync1m(exe: string): Promise<Figure[]> {
  const h = await startHarness();
  try {
    const blob = grid(1000);
    const summary = meshSummaryOf(blob, (b) => createHash('sha256').update(b).digest('hex'));
    const source = new SimAdapter({
      url: h.orch.url,
      token: h.orch.tokens.issue('adapter', 'blender').token,
      name: 'blender',
      roles: ['source'],
      objects: 10,
    });
    h.sims.push(source);
    source.blobs.set(summary.geometryHash, blob);
    source.scene.applyLive([{ mid: 'big', targets: [], op: 'set_props', objectId: 'obj_1', props: { mesh: summary } }]);
    await source.connect();
    await source.until(() => h.orch.brain.state.sceneAdopted, 'the 1M-vertex snapshot adopted', 120_000);
    const runs: FirstSync[] = [];
    let last: UnityHost | null = null;
    for (let i = 0; i < FIRST_SYNC_RUNS; i++) {
      const name = `unity-${i}`;
      const host = new UnityHost(exe, {
        VIBESYNC_URL: h.orch.url,
        VIBESYNC_TOKEN: h.orch.tokens.issue('adapter', name).token,
        VIBESYNC_NAME: name,
        VIBESYNC_ROLES: 'target',
      });
      const e = (await host.waitFor((x) => x.event === 'first-sync', 0, 120_000)) as unknown as FirstSync;
      if (e.hash !== source.sceneHash) throw new Error(`host ${name} holds ${e.hash}, the source ${source.sceneHash}`);
      if (e.vertices < 1_000_000) throw new Error(`host ${name} holds ${e.vertices} vertices`);
      runs.push(e);
      if (i < FIRST_SYNC_RUNS - 1) await host.stop();
      else last = host;
    }
    const stat = `median of ${FIRST_SYNC_RUNS} fresh hosts, timed in the host`;
    const mesh = { vertices: 1_000_000, faces: 999 * 999, bytes: blob.length, equal: true };
    const m = (k: keyof FirstSync) => round(median(runs.map((r) => r[k] as number)));
    const figures: Figure[] = [
      {
        name: 'unity_first_sync_1m_vertices_receive',
        value: m('receiveMs'),
        unit: 'ms',
        stat,
        ...mesh,
        note: 'welcome → blob whole and verified',
      },
      {
        name: 'unity_first_sync_1m_vertices_decode_hold',
        value: m('applyMs'),
        unit: 'ms',
        stat,
        ...mesh,
        note: 'the resync applied: blob decoded, held as float32',
      },
      {
        name: 'unity_first_sync_1m_vertices_rehash',
        value: m('hashMs'),
        unit: 'ms',
        stat,
        ...mesh,
        note: 'what it holds re-encoded and hashed (scene hash)',
      },
      {
        name: 'unity_first_sync_1m_vertices_total',
        value: m('totalMs'),
        unit: 'ms',
        stat,
        ...mesh,
        note: 'welcome → hash of what it holds',
      },
    ];
    try {
      const b = await last!.command('bench-mesh obj_1 5', (x) => x.event === 'bench-mesh' || x.event === 'error', 300_000);
      const alone = 'median of 5 after a warm-up, in one host';
      figures.push(
        { name: 'unity_core_mesh_1m_vertices_decode_hold', value: round(b.decodeMs as number), unit: 'ms', stat: alone, ...mesh },
        { name: 'unity_core_mesh_1m_vertices_encode_hash', value: round(b.encodeHashMs as number), unit: 'ms', stat: alone, ...mesh },
      );
    } finally {
      await last!.stop();
    }
    return figures;
  } finally {
    await h.stopAll();
  }
}
