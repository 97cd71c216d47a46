// Blender adapter figures, with real headless Blender (`npm run bench -- blender`):
// - inside Blender, on a 1,000-object / 100k-vertex scene: full snapshot export (ids, transforms,
//   geometry hashes, scene hash, JSON) time and size, and one stream pass after moving one object,
//   incremental (what every dirty tick does) and full (the structural fallback);
// - through the real orchestrator: change made in Blender → the target simulator's commit, on the
//   3-object default scene and on the 1,000-object scene, and the adapter's initial snapshot there.
// Medians are the figures to quote (the machine is shared and noisy); p95 is printed alongside.
// Without Blender the bench prints why and returns nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startOrchestrator } from '../electron/core/orchestrator.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { BlenderProcess } from '../adapters/blender/testing/blender-process.js';
import { missingBlenderMessage } from '../adapters/blender/testing/find-blender.js';
import { hasBlender, runBlender } from '../adapters/blender/testing/python.js';

type Figure = { name: string; value: number; unit: string; [k: string]: unknown };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const OBJECTS = 1000;
const VERTICES = 100_000;

async function insideBlender(): Promise<Figure[]> {
  const r = await runBlender('adapters/blender/tests/bench_export.py', [String(OBJECTS), String(VERTICES)]);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`bench_export.py printed no result:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  const b = JSON.parse(line.slice(6)) as {
    objects: number;
    vertices: number;
    export_ms_median: number;
    bytes: number;
    stream_pass_ms_incremental: number;
    stream_pass_ms_full: number;
  };
  const scene = { objects: b.objects, vertices: b.vertices };
  return [
    { name: 'blender_snapshot_export_1k_objects_100k_vertices', value: b.export_ms_median, unit: 'ms', stat: 'median of 5', ...scene },
    { name: 'blender_snapshot_size_1k_objects_100k_vertices', value: Math.round(b.bytes / 1024), unit: 'KiB', ...scene },
    {
      name: 'blender_stream_pass_one_object_moved_1k_incremental',
      value: b.stream_pass_ms_incremental,
      unit: 'ms',
      stat: 'median of 30',
      ...scene,
    },
    { name: 'blender_stream_pass_one_object_moved_1k_full', value: b.stream_pass_ms_full, unit: 'ms', stat: 'median of 10', ...scene },
  ];
}

async function benchScene(dir: string): Promise<string> {
  const file = join(dir, 'bench-1k.blend');
  const r = await runBlender('adapters/blender/tests/bench_scene.py', [file, String(OBJECTS), String(VERTICES)]);
  if (!r.stdout.includes(`SAVED ${file}`))
    throw new Error(`bench_scene.py did not save the scene:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return file;
}

/** Moves one object `samples` times and times each change until the target simulator committed it. */
async function latency(label: string, blendFile: string | undefined, objectName: string, samples: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-blender-'));
  const orch = await startOrchestrator({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dir, 'no-panel') });
  const unity = new SimAdapter({ url: orch.url, token: orch.tokens.issue('adapter', 'unity').token, name: 'unity', roles: ['target'] });
  let blender: BlenderProcess | null = null;
  try {
    await unity.connect();
    blender = new BlenderProcess(
      {
        VIBESYNC_URL: orch.url,
        VIBESYNC_TOKEN: orch.tokens.issue('adapter', 'blender').token,
        VIBESYNC_NAME: 'blender',
        VIBESYNC_TARGETS: 'unity',
      },
      blendFile,
    );
    const snapshot = await blender.waitFor((e) => e.event === 'snapshot', 60_000);
    await unity.waitFor('resync', undefined, 60_000);
    const id = await blender.eval<string>(`bpy.data.objects["${objectName}"]["vibesync_id"]`);
    const ms: number[] = [];
    const pass: number[] = [];
    const base = unity.committed;
    for (let i = 1; i <= samples; i++) {
      const x = 100 + i * 0.25;
      const from = blender.events.length;
      await blender.exec(`import time\nbpy.data.objects["${objectName}"].location.x = ${x}\nemit({"event": "changed", "at": time.time()})`);
      const changed = await blender.waitFor((e) => e.event === 'changed', 10_000, from);
      await unity.until(() => unity.scene.object(id)?.transform.position[0] === x && unity.committed >= base + i, `commit ${i}`);
      ms.push(Date.now() - (changed.at as number) * 1000);
      const streamed = await blender.waitFor((e) => e.event === 'streamed', 10_000, from);
      pass.push(streamed.ms as number);
    }
    const objects = (snapshot.objects as number) ?? 0;
    return [
      { name: `blender_change_to_target_commit_${label}_p50`, value: round(pct(ms, 50)), unit: 'ms', samples, objects },
      { name: `blender_change_to_target_commit_${label}_p95`, value: round(pct(ms, 95)), unit: 'ms', samples, objects },
      { name: `blender_stream_pass_in_adapter_${label}_p50`, value: round(pct(pass, 50), 2), unit: 'ms', samples, objects },
      { name: `blender_initial_snapshot_in_adapter_${label}`, value: snapshot.ms as number, unit: 'ms', objects },
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
    console.log(missingBlenderMessage('the Blender bench'));
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-scene-'));
  try {
    const big = await benchScene(dir);
    return [
      ...(await insideBlender()),
      ...(await latency('3_objects', undefined, 'Cube', 20)),
      ...(await latency('1k_objects', big, `obj${OBJECTS / 2}`, 20)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('blender.ts')) {
  for (const f of await benchBlender()) console.log(JSON.stringify(f));
}
