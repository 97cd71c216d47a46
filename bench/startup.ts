// Orchestrator start-up on a long log: a 1,000-object scene record and 99,999 accepted source
// messages (one set_transform each), written as the brain writes them, then the time from
// `startOrchestrator()` to listening — WAL recovery, decoding and applying every record to the
// brain included — and the replay rate that implies. Median of `runs` starts on the same folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { generateScene, orbit } from '../adapters/sim/scene-gen.js';
import { startOrchestrator } from '../electron/core/orchestrator.js';
import { openWal, type WalRecord } from '../electron/core/wal/index.js';
import type { BrainRecord } from '../electron/core/brain/records.js';
import { type Figure, median, round } from './stats.js';

async function writeLog(walDir: string, records: number, objects: number) {
  const scene = generateScene(objects, 7);
  const { log } = await openWal(walDir);
  const at = Date.now();
  await log.append({ t: 'scene', at, engine: 'blender', reason: 'first snapshot', scene } satisfies BrainRecord);
  for (let i = 1; i < records; i += 1000) {
    const batch: WalRecord[] = [];
    for (let j = i; j < Math.min(records, i + 1000); j++) {
      const k = j % objects;
      const objectId = scene.objects[k]!.id;
      batch.push({
        t: 'accepted',
        at: at + j,
        engine: 'blender',
        ref: `m-${j}`,
        pid: null,
        mutations: [
          {
            mid: `m-${j}`,
            targets: ['unity'],
            op: 'set_transform',
            objectId,
            transform: { position: orbit(scene.objects[k]!.transform.position, j, k) },
          },
        ],
      } satisfies BrainRecord);
    }
    await log.appendMany(batch);
  }
  await log.close();
}

export async function benchStartup(runs = 3, records = 100_000): Promise<Figure[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vibesync-startup-'));
  try {
    await writeLog(join(dataDir, 'wal'), records, 1000);
    const starts: number[] = [];
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      const orch = await startOrchestrator({ dataDir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dataDir, 'no-panel') });
      const ms = performance.now() - t0;
      const replayed = orch.healthz().walRecordsReplayed;
      await orch.close();
      if (replayed !== records) throw new Error(`replayed ${replayed} of ${records} records`);
      if (r > 0) starts.push(ms); // the first start warms the page cache and the JIT
    }
    const ms = median(starts);
    return [
      {
        name: 'orchestrator_start_100k',
        value: round(ms),
        unit: 'ms',
        runs,
        note: `startOrchestrator() to listening on a ${records}-record WAL (1,000-object scene + source mutations); target < 1000 ms`,
      },
      {
        name: 'orchestrator_replay_100k',
        value: round(records / (ms / 1000), 0),
        unit: 'records/s',
        runs,
        note: 'decoded and applied to the brain; target ≥ 200,000',
      },
    ];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
