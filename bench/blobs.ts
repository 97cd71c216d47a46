// Blobs (docs/protocol.md "Blobs"): a 1-million-vertex mesh as one blob through a real orchestrator
// on loopback — encode, upload (ask, then send) and snapshot adopted, then the first sync of a
// target (blob + resync, the target rebuilding the mesh and hashing what it holds); the dedup ratio
// when the same scene is sent again; and the orchestrator's event-loop stall while a 100 MB blob
// arrives from an engine in another process (bench/blob-sender.ts).
// Run: npm run bench -- blobs
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { encodeMesh, meshSummaryOf } from '../shared/canonical/index.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { startOrchestrator } from '../electron/core/orchestrator.js';
import type { Figure } from './stats.js';
import { percentile, round } from './stats.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A `side` × `side` grid of vertices in quads, with UVs: side 1000 → 1,000,000 vertices. */
export function grid(side: number): Uint8Array {
  const positions = new Float64Array(side * side * 3);
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) positions.set([i * 0.01, Math.sin(i * 0.1) * Math.cos(j * 0.1), j * 0.01], 3 * (i * side + j));
  const quads = (side - 1) * (side - 1);
  const corners = new Uint32Array(quads * 4);
  const uvs = new Float64Array(quads * 8);
  let q = 0;
  for (let i = 0; i < side - 1; i++)
    for (let j = 0; j < side - 1; j++, q++) {
      const a = i * side + j;
      corners.set([a, a + 1, a + side + 1, a + side], 4 * q);
      uvs.set([i / side, j / side, i / side, (j + 1) / side, (i + 1) / side, (j + 1) / side, (i + 1) / side, j / side], 8 * q);
    }
  return encodeMesh({ positions, faceSizes: new Uint32Array(quads).fill(4), corners, uvs });
}

export async function benchBlobs(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vs-bench-blobs-'));
  const orch = await startOrchestrator({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dir, 'none') });
  try {
    const figures = await meshFigures(orch);
    figures.push(...(await stallFigures(orch)));
    return figures;
  } finally {
    await orch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Orchestrator = Awaited<ReturnType<typeof startOrchestrator>>;

/** The 1M-vertex mesh: encode, snapshot, first sync and re-sync dedup, with two simulated engines in this process. */
async function meshFigures(orch: Orchestrator): Promise<Figure[]> {
  const figures: Figure[] = [];
  const sims: SimAdapter[] = [];
  const sim = async (name: string, roles: ('source' | 'target')[], prepare?: (s: SimAdapter) => void) => {
    const s = new SimAdapter({ url: orch.url, token: orch.tokens.issue('adapter', name).token, name, roles, objects: 10 });
    prepare?.(s);
    sims.push(s);
    await s.connect();
    return s;
  };
  try {
    let t = performance.now();
    const blob = grid(1000);
    const summary = meshSummaryOf(blob, sha);
    figures.push({ name: 'blob_mesh_1m_vertices_encode', value: round(performance.now() - t), unit: 'ms', bytes: blob.length });

    // Snapshot: the source uploads the mesh (ask, then send), then its snapshot is adopted.
    t = performance.now();
    const source = await sim('blender', ['source'], (s) => {
      s.blobs.set(summary.geometryHash, blob);
      const o = s.scene.object('obj_1')!;
      s.scene.applyLive([{ mid: 'big', targets: [], op: 'set_props', objectId: o.id, props: { mesh: summary } }]);
    });
    await source.until(() => orch.brain.state.sceneAdopted, 'snapshot adopted', 120_000);
    figures.push({
      name: 'blob_snapshot_1m_vertices',
      value: round(performance.now() - t),
      unit: 'ms',
      note: 'connect → upload → snapshot adopted',
    });

    // First sync: a target with nothing gets the blob, then the resync, and rebuilds the mesh.
    t = performance.now();
    const target = await sim('unity', ['target'], (s) => s.blobs.clear());
    await target.until(() => target.received.some((m) => m.type === 'resync'), 'resync', 120_000);
    figures.push({
      name: 'blob_first_sync_1m_vertices',
      value: round(performance.now() - t),
      unit: 'ms',
      equal: target.sceneHash === source.sceneHash,
    });

    // Re-sync: the same scene again needs no byte of content.
    const held = [...source.blobs.values()].reduce((n, b) => n + b.length, 0);
    const need = await source.uploadBlobs();
    const resent = need.reduce((n, h) => n + source.blobs.get(h)!.length, 0);
    figures.push({
      name: 'blob_dedup_ratio_resync',
      value: round(1 - resent / held, 3),
      unit: 'ratio',
      note: 'share of blob bytes not re-sent',
    });

    return figures;
  } finally {
    for (const s of sims) s.crash();
  }
}

/**
 * Event-loop stall while a 100 MB blob arrives from another process (a real engine's position). The
 * two simulated engines of meshFigures lived in this process only for the bench's convenience: they
 * and their copies of the 1M-vertex mesh (about 280 MB of buffers) are unreachable once it returns,
 * and collected here before the orchestrator is measured alone, so that marking and freeing them
 * is not counted as the orchestrator's stall.
 */
async function stallFigures(orch: Orchestrator): Promise<Figure[]> {
  const figures: Figure[] = [];
  collectGarbage();
  const token = orch.tokens.issue('adapter', 'sender').token;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./blob-sender.ts', import.meta.url)), orch.url, token, '100'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the blob sender exited (${code}) before the blob was stored`))),
  );
  exited.catch(() => undefined);
  const next = () => Promise.race([new Promise<string>((resolve) => lines.once('line', resolve)), exited]);
  await next(); // "sending"
  // The orchestrator's own work per binary frame (decode, hash update, write), timed around the brain's handler.
  const perFrame: number[] = [];
  const handle = orch.brain.binary.bind(orch.brain);
  orch.brain.binary = (peer, frame) => {
    const t0 = performance.now();
    try {
      handle(peer, frame);
    } finally {
      perFrame.push(performance.now() - t0);
    }
  };
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t = performance.now();
  await next(); // "stored"
  const ms = performance.now() - t;
  h.disable();
  await exited.catch(() => undefined);
  figures.push({ name: 'blob_100mb_arrival', value: round(ms), unit: 'ms' });
  figures.push({
    name: 'blob_100mb_chunk_work_max',
    value: round(Math.max(...perFrame), 2),
    unit: 'ms',
    p50: round(percentile(perFrame, 50), 2),
    chunks: perFrame.length,
  });
  figures.push({ name: 'blob_100mb_event_loop_stall_max', value: round(h.max / 1e6), unit: 'ms', p99: round(h.percentile(99) / 1e6) });
  return figures;
}

/** A full collection of this process's garbage (the bench's own leftovers), through V8's `gc`. */
function collectGarbage() {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  for (const f of await benchBlobs()) console.log(JSON.stringify(f));
}
