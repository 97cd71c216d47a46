// Blender adapter figures, with real headless Blender: full snapshot export (1,000 objects, 100k
// vertices: ids, transforms, geometry hashes, scene hash, JSON) time and size, and the latency
// from a change made in Blender to the target simulator's commit through the real orchestrator.
// Skipped, with the reason printed, where Blender is not installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startOrchestrator } from '../electron/core/orchestrator.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { BlenderProcess } from '../adapters/blender/testing/blender-process.js';
import { hasBlender, runBlender, BLENDER } from '../adapters/blender/testing/python.js';

type Figure = { name: string; value: number; unit: string; [k: string]: unknown };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function exportFigures(): Promise<Figure[]> {
  const r = await runBlender('adapters/blender/tests/bench_export.py', ['1000', '100000']);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`bench_export.py printed no result:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  const b = JSON.parse(line.slice(6)) as { objects: number; vertices: number; export_ms_median: number; bytes: number };
  return [
    { name: 'blender_snapshot_export_1k_objects_100k_vertices', value: b.export_ms_median, unit: 'ms', objects: b.objects, vertices: b.vertices },
    { name: 'blender_snapshot_size_1k_objects_100k_vertices', value: Math.round(b.bytes / 1024), unit: 'KiB' },
  ];
}

async function latencyFigures(samples = 20): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-blender-'));
  const orch = await startOrchestrator({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dir, 'no-panel') });
  const unity = new SimAdapter({ url: orch.url, token: orch.tokens.issue('adapter', 'unity').token, name: 'unity', roles: ['target'] });
  let blender: BlenderProcess | null = null;
  try {
    await unity.connect();
    blender = new BlenderProcess({ VIBESYNC_URL: orch.url, VIBESYNC_TOKEN: orch.tokens.issue('adapter', 'blender').token, VIBESYNC_NAME: 'blender', VIBESYNC_TARGETS: 'unity' });
    await blender.waitFor((e) => e.event === 'snapshot');
    await unity.waitFor('resync');
    const cube = await blender.eval<string>('bpy.data.objects["Cube"]["vibesync_id"]');
    const ms: number[] = [];
    for (let i = 1; i <= samples; i++) {
      const x = i * 0.25;
      const from = blender.events.length;
      await blender.exec(`import time\nbpy.data.objects["Cube"].location.x = ${x}\nemit({"event": "changed", "at": time.time()})`);
      const changed = await blender.waitFor((e) => e.event === 'changed', 10_000, from);
      await unity.until(() => unity.scene.object(cube)?.transform.position[0] === x && unity.committed >= i, `commit ${i}`);
      ms.push(Date.now() - (changed.at as number) * 1000);
    }
    return [
      { name: 'blender_change_to_target_commit_p50', value: round(pct(ms, 50)), unit: 'ms', samples },
      { name: 'blender_change_to_target_commit_p95', value: round(pct(ms, 95)), unit: 'ms', samples },
    ];
  } finally {
    await blender?.stop();
    unity.crash();
    await orch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBlender(): Promise<Figure[]> {
  if (!hasBlender) {
    console.log(`blender bench skipped: no Blender at ${BLENDER} (set VIBESYNC_BLENDER)`);
    return [];
  }
  return [...(await exportFigures()), ...(await latencyFigures())];
}

if (process.argv[1]?.endsWith('blender.ts')) {
  for (const f of await benchBlender()) console.log(JSON.stringify(f));
}
