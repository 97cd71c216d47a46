// Godot adapter figures, with real headless Godot 3 (godot3-server) and, for the cross-engine
// latency, real headless Blender (`npm run bench -- godot`):
// - a snapshot of 1,000 objects made in Godot (read from the nodes, hashed, written as JSON, sent),
//   timed inside Godot, and the orchestrator adopting it;
// - a 1,000-object resync applied in Godot (nodes created, scene hash computed from them);
// - change made in Blender → committed in Godot through the orchestrator (p50 / p99 over 40 moves).
// Without Godot (or Blender, for the last figure) it prints why and skips those figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startOrchestrator, type Orchestrator } from '../electron/core/orchestrator.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { GodotProcess, type GodotEvent } from '../adapters/godot/testing/godot-process.js';
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

export async function benchGodot(): Promise<Figure[]> {
  if (!hasGodot) {
    console.warn(missingGodotMessage('the Godot bench'));
    return [];
  }
  const figures = [...(await snapshotFromGodot()), ...(await resyncIntoGodot())];
  if (hasBlender) figures.push(...(await blenderToGodot()));
  else console.warn(missingBlenderMessage('the Blender -> Godot latency figures'));
  return figures;
}
