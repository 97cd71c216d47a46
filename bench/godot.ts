// Godot adapter figures, with real headless Godot 3 (godot3-server) and, for the cross-engine
// latency, real headless Blender (`npm run bench -- godot`):
// - a snapshot of 1,000 objects made in Godot (read from the nodes, hashed, written as JSON, sent),
//   timed inside Godot, and the orchestrator adopting it;
// - a 1,000-object resync applied in Godot (nodes created, scene hash computed from them);
// - change made in Blender → committed in Godot through the orchestrator (p50 / p99 over 40 moves);
// - a 1,000,000-vertex mesh (a 1000 × 1000 grid of quads with UVs, as Blender's grid) received on
//   Godot's first sync: the mesh blob decoded and built into an ArrayMesh, then re-encoded from
//   Godot's surfaces and hashed (timed inside Godot's resync), and connect → resync done, wall clock
//   (blob transfer included). Median of MESH_RUNS fresh Godot processes (VIBESYNC_BENCH_GRID sets
//   the grid side for a quicker run).
// Without Godot (or Blender, for the last figure) it prints why and skips those figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startOrchestrator, type Orchestrator } from '../electron/core/orchestrator.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { GodotProcess, type GodotEvent } from '../adapters/godot/testing/godot-process.js';
import { encodeMesh, meshBlobHash, meshSummaryOf } from '../shared/canonical/mesh.js';
import type { SceneObject } from '../shared/protocol/index.js';
import { hasGodot, missingGodotMessage } from '../adapters/godot/testing/find-godot.js';
import { BlenderProcess } from '../adapters/blender/testing/blender-process.js';
import { hasBlender, missingBlenderMessage } from '../adapters/blender/testing/find-blender.js';

type Figure = { name: string; value: number; unit: string; [k: string]: unknown };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const OBJECTS = 1000;

async function withOrchestrator<T>(fn: (orch: Orchestrator) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-godot-'));
  const orch = await startOrchestrator({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dir, 'no-panel') });
  try {
    return await fn(orch);
  } finally {
    await orch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function snapshotFromGodot(): Promise<Figure[]> {
  return withOrchestrator(async (orch) => {
    const { token } = orch.tokens.issue('adapter', 'godot');
    const godot = new GodotProcess({ VIBESYNC_URL: orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'godot', VIBESYNC_ROLES: 'source' });
    try {
      await godot.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 20_000);
      await godot.command('populate', { count: OBJECTS });
      const times: number[] = [];
      const adopt: number[] = [];
      for (let i = 0; i < 5; i++) {
        const from = godot.events.length;
        const t0 = performance.now();
        await godot.command('snapshot');
        const snap = await godot.waitFor((e) => e.event === 'snapshot', 20_000, from);
        while (orch.brain.state.scene.objects.size !== OBJECTS) await new Promise((r) => setTimeout(r, 1));
        adopt.push(performance.now() - t0);
        times.push(snap.ms as number);
      }
      return [
        { name: 'godot_snapshot_1k_objects_in_godot', value: round(pct(times, 50)), unit: 'ms', stat: 'median of 5', objects: OBJECTS },
        { name: 'godot_snapshot_1k_objects_to_adopted', value: round(pct(adopt, 50)), unit: 'ms', stat: 'median of 5', objects: OBJECTS },
      ];
    } finally {
      await godot.stop();
    }
  });
}

async function resyncIntoGodot(): Promise<Figure[]> {
  return withOrchestrator(async (orch) => {
    const sim = new SimAdapter({
      url: orch.url,
      token: orch.tokens.issue('adapter', 'sim').token,
      name: 'sim',
      roles: ['source'],
      objects: OBJECTS,
    });
    await sim.connect();
    while (orch.brain.state.scene.objects.size !== OBJECTS) await new Promise((r) => setTimeout(r, 5));
    const { token } = orch.tokens.issue('adapter', 'godot');
    const godot = new GodotProcess({ VIBESYNC_URL: orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'godot', VIBESYNC_ROLES: 'target' });
    try {
      const r: GodotEvent = await godot.waitFor((e) => e.event === 'resync', 30_000);
      if (r.hash !== r.expected) throw new Error('Godot resync hash differs from the orchestrator s');
      return [{ name: 'godot_resync_1k_objects_applied', value: round(r.ms as number), unit: 'ms', stat: 'one run', objects: OBJECTS }];
    } finally {
      await godot.stop();
      sim.crash();
    }
  });
}

async function blenderToGodot(): Promise<Figure[]> {
  return withOrchestrator(async (orch) => {
    const godot = new GodotProcess({
      VIBESYNC_URL: orch.url,
      VIBESYNC_TOKEN: orch.tokens.issue('adapter', 'godot').token,
      VIBESYNC_NAME: 'godot',
      VIBESYNC_ROLES: 'target',
    });
    const blender = new BlenderProcess({
      VIBESYNC_URL: orch.url,
      VIBESYNC_TOKEN: orch.tokens.issue('adapter', 'blender').token,
      VIBESYNC_NAME: 'blender',
      VIBESYNC_TARGETS: 'godot',
    });
    try {
      await godot.waitFor((e) => e.event === 'resync' && e.objects === 3, 40_000);
      const samples: number[] = [];
      for (let i = 0; i < 40; i++) {
        const from = godot.events.length;
        const t0 = performance.now();
        await blender.exec(`bpy.data.objects["Cube"].location.x = ${(i + 1) * 0.25}`);
        const done = await godot.waitFor((e) => e.event === 'tx_done', 15_000, from);
        if (done.outcome !== 'committed') throw new Error(`transaction ${String(done.txId)} ${String(done.outcome)}`);
        samples.push(performance.now() - t0);
      }
      return [
        { name: 'godot_blender_to_godot_commit_latency_p50', value: round(pct(samples, 50)), unit: 'ms', samples: samples.length },
        { name: 'godot_blender_to_godot_commit_latency_p99', value: round(pct(samples, 99)), unit: 'ms', samples: samples.length },
      ];
    } finally {
      await blender.stop();
      await godot.stop();
    }
  });
}

const GRID = Number(process.env.VIBESYNC_BENCH_GRID ?? 1000);
const MESH_RUNS = 3;

/** A side × side grid of vertices (1 m apart, in the XZ plane), its quads wound counter-clockwise seen from +Y, UVs per corner. */
function grid(side: number): Uint8Array {
  const positions = new Float64Array(side * side * 3);
  for (let z = 0; z < side; z++) for (let x = 0; x < side; x++) positions.set([x * 0.01, 0, z * 0.01], (z * side + x) * 3);
  const quads = (side - 1) * (side - 1);
  const corners = new Uint32Array(quads * 4);
  const uvs = new Float64Array(quads * 8);
  let q = 0;
  for (let z = 0; z < side - 1; z++)
    for (let x = 0; x < side - 1; x++, q++) {
      const v = [z * side + x, (z + 1) * side + x, (z + 1) * side + x + 1, z * side + x + 1];
      corners.set(v, q * 4);
      v.forEach((vi, k) => uvs.set([(vi % side) / (side - 1), Math.floor(vi / side) / (side - 1)], q * 8 + k * 2));
    }
  return encodeMesh({ positions, faceSizes: new Array<number>(quads).fill(4), corners, uvs });
}

async function meshIntoGodot(): Promise<Figure[]> {
  return withOrchestrator(async (orch) => {
    // the grid is in the simulator's scene before it connects: its initial snapshot carries it, after its blob is stored
    const sim = new SimAdapter({
      url: orch.url,
      token: orch.tokens.issue('adapter', 'sim').token,
      name: 'sim',
      roles: ['source'],
      objects: 0,
    });
    const blob = grid(GRID);
    sim.blobs.set(meshBlobHash(blob), blob);
    const object: SceneObject = {
      id: 'obj-grid',
      name: 'Grid',
      type: 'mesh',
      parent: null,
      transform: { position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
      materials: [],
      mesh: meshSummaryOf(blob),
    };
    sim.scene.applyLive([{ mid: 'grid', targets: [], op: 'create', object }]);
    await sim.connect();
    const adopted = Date.now() + 120_000;
    while (!orch.brain.state.scene.objects.has('obj-grid')) {
      if (Date.now() > adopted) throw new Error('the grid was not adopted');
      await new Promise((r) => setTimeout(r, 5));
    }
    const build: number[] = [];
    const reencode: number[] = [];
    const firstSync: number[] = [];
    try {
      for (let run = 0; run < MESH_RUNS; run++) {
        const { token } = orch.tokens.issue('adapter', 'godot');
        const godot = new GodotProcess({ VIBESYNC_URL: orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'godot', VIBESYNC_ROLES: 'target' });
        try {
          await godot.waitFor((e) => e.event === 'welcome', 20_000);
          const t0 = performance.now();
          const r: GodotEvent = await godot.waitFor((e) => e.event === 'resync', 900_000);
          firstSync.push(performance.now() - t0);
          if (r.hash !== r.expected) throw new Error("Godot's re-encoded grid does not hash like the source's");
          const times = r.times as { applyMs: number; hashMs: number };
          build.push(times.applyMs);
          reencode.push(times.hashMs);
        } finally {
          await godot.stop();
        }
      }
    } finally {
      sim.crash();
    }
    const d = meshSummaryOf(blob);
    const mesh = {
      vertices: d.vertexCount,
      faces: d.faceCount,
      corners: d.faceCount * 4,
      uvs: true,
      blobBytes: blob.length,
      runs: MESH_RUNS,
    };
    const stat = `median of ${MESH_RUNS}`;
    return [
      {
        name: 'godot_mesh_1m_vertices_decode_and_build',
        value: round(pct(build, 50)),
        unit: 'ms',
        stat,
        ...mesh,
        all: build.map((x) => round(x)),
      },
      {
        name: 'godot_mesh_1m_vertices_reencode_and_hash',
        value: round(pct(reencode, 50)),
        unit: 'ms',
        stat,
        ...mesh,
        all: reencode.map((x) => round(x)),
      },
      {
        name: 'godot_mesh_1m_vertices_first_sync_wall',
        value: round(pct(firstSync, 50)),
        unit: 'ms',
        stat,
        ...mesh,
        all: firstSync.map((x) => round(x)),
      },
    ];
  });
}

export async function benchGodot(): Promise<Figure[]> {
  if (!hasGodot) {
    console.warn(missingGodotMessage('the Godot bench'));
    return [];
  }
  if (process.env.VIBESYNC_BENCH_ONLY === 'mesh') return meshIntoGodot();
  const figures = [...(await snapshotFromGodot()), ...(await resyncIntoGodot()), ...(await meshIntoGodot())];
  if (hasBlender) figures.push(...(await blenderToGodot()));
  else console.warn(missingBlenderMessage('the Blender -> Godot latency figures'));
  return figures;
}
