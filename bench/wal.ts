// WAL figures: fsync-per-record ceiling, group-committed append rate, replay rate and open time
// of a 100k-record log. Each figure is the median of `runs` runs in a fresh tmp dir.
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWal, type WalRecord } from '../electron/core/wal/index.js';

// Self-contained (no bench/stats.ts import) so this file runs on its own; same figure shape.
type Figure = { name: string; value: number; unit: string; [k: string]: unknown };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const record = (i: number): WalRecord => ({
  t: 'mutation',
  mid: `mut-${i}`,
  source: 'blender-1',
  objectId: `obj-${i % 1000}`,
  op: 'set_transform',
  transform: { position: [Math.sin(i) * 10, 1.5, Math.cos(i) * 10], rotation: [0, Math.sin(i / 2), 0, Math.cos(i / 2)], scale: [1, 1, 1] },
  expectedHash: 'ab'.repeat(32),
});

async function inTmpDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'vibesync-wal-bench-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** records/s when every append is awaited before the next: one fsync per record. */
async function fsyncPerRecord(n: number): Promise<number> {
  return inTmpDir(async (dir) => {
    const { log } = await openWal(dir);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await log.append(record(i));
    const s = (performance.now() - t0) / 1000;
    await log.close();
    return n / s;
  });
}

/** The disk's own ceiling in this run: a bare write + fdatasync loop with no WAL around it. */
async function rawFsync(n: number): Promise<number> {
  return inTmpDir(async (dir) => {
    const fd = openSync(join(dir, 'raw'), 'w');
    const buf = Buffer.from(JSON.stringify(record(0)));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      writeSync(fd, buf);
      fdatasyncSync(fd);
    }
    const s = (performance.now() - t0) / 1000;
    closeSync(fd);
    return n / s;
  });
}

/** records/s for a producer that keeps appending without waiting; yields to I/O every `burst` records. */
async function groupCommit(n: number, burst: number): Promise<{ rate: number; meanBatch: number }> {
  return inTmpDir(async (dir) => {
    const { log } = await openWal(dir);
    const acks: Array<Promise<number>> = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      acks.push(log.append(record(i)));
      if (i % burst === burst - 1) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(acks);
    const s = (performance.now() - t0) / 1000;
    const st = log.stats();
    await log.close();
    return { rate: n / s, meanBatch: st.records / st.flushes };
  });
}

/** ms to open (recover, then decode every record as a consumer would) a log of `n` records. */
async function openTime(dir: string, n: number): Promise<number> {
  const t0 = performance.now();
  const { log, replay } = await openWal(dir);
  let decoded = 0;
  for (const { record } of replay.stream()) if (record.t === 'mutation') decoded++;
  const ms = performance.now() - t0;
  if (decoded !== n) throw new Error(`replayed ${decoded} of ${n}`);
  await log.close();
  return ms;
}

export async function benchWal(runs = 3): Promise<Figure[]> {
  const raw: number[] = [];
  const perRecord: number[] = [];
  const group: Array<{ rate: number; meanBatch: number }> = [];
  for (let r = 0; r < runs; r++) {
    raw.push(await rawFsync(3000));
    perRecord.push(await fsyncPerRecord(3000));
    group.push(await groupCommit(100_000, 100));
  }
  const n = 100_000;
  const opens = await inTmpDir(async (dir) => {
    const { log } = await openWal(dir);
    for (let i = 0; i < n; i += 1000) await log.appendMany(Array.from({ length: 1000 }, (_, j) => record(i + j)));
    await log.close();
    await openTime(dir, n); // warm the page cache and the JIT once; a cold disk is not what we measure
    const ms: number[] = [];
    for (let r = 0; r < runs; r++) ms.push(await openTime(dir, n));
    return ms;
  });
  const openMs = median(opens);
  const groupRate = median(group.map((g) => g.rate));
  return [
    { name: 'wal_raw_write_fdatasync', value: round(median(raw), 0), unit: 'records/s', runs, note: 'disk ceiling, no WAL' },
    { name: 'wal_append_fsync_per_record', value: round(median(perRecord), 0), unit: 'records/s', runs },
    {
      name: 'wal_append_group_commit',
      value: round(groupRate, 0),
      unit: 'records/s',
      runs,
      meanBatch: round(median(group.map((g) => g.meanBatch))),
    },
    {
      name: 'wal_replay_100k',
      value: round(n / (openMs / 1000), 0),
      unit: 'records/s',
      runs,
      note: 'records / (open + decode every record); target ≥ 200,000',
    },
    { name: 'wal_open_100k', value: round(openMs), unit: 'ms', runs },
  ];
}
