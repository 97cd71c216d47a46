// The write-ahead log and snapshot store: `openWal` recovers what is on disk and hands back a
// group-committing DurableLog positioned after the last durable record.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { rm } from 'node:fs/promises';
import { fsyncDir, openSegment, segmentName } from './files.js';
import { lockWalDir, type WalLock } from './lock.js';
import { recover, type Recovered } from './replay.js';
import type { ReplayResult } from './types.js';
import { Wal, type WalLog } from './wal.js';

export type { DurableLog, ReplayedRecord, ReplayResult, WalRecord } from './types.js';
export type { WalLog, WalStats } from './wal.js';
export { WalCorruptionError, WalWriteError } from './errors.js';
export { assertWalDirFree, WalLockedError } from './lock.js';

export interface WalOptions {
  /** a segment is sealed and a new one started once it reaches this size (default 64 MiB) */
  segmentBytes?: number;
  logger?: Logger;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

/**
 * Throws WalCorruptionError when the log is damaged anywhere but a torn tail, and WalLockedError
 * when another live process has the directory open. Every frame's CRC and sequence is checked
 * here; a CRC-valid payload that is not a record is found while `replay.stream()` decodes it
 * (also WalCorruptionError): the caller then closes the log.
 */
export async function openWal(dir: string, opts: WalOptions = {}): Promise<{ log: WalLog; replay: ReplayResult }> {
  const created = (await mkdir(dir, { recursive: true })) !== undefined;
  if (created) await fsyncDir(dirname(dir));
  const lock = await lockWalDir(dir);
  try {
    return await openLocked(dir, opts, lock);
  } catch (e) {
    await lock.release();
    throw e;
  }
}

async function openLocked(dir: string, opts: WalOptions, lock: WalLock): Promise<{ log: WalLog; replay: ReplayResult }> {
  const rec = await recover(dir);
  await finishCompaction(dir, rec, opts.logger);
  const segments = rec.segments;
  let tailBytes = rec.tailBytes;
  const last = segments.at(-1);
  let handle;
  if (last) {
    handle = await openSegment(last.path, 'append');
  } else {
    const path = join(dir, segmentName(rec.lastSeq + 1));
    handle = await openSegment(path, 'create');
    await fsyncDir(dir);
    segments.push({ firstSeq: rec.lastSeq + 1, path });
    tailBytes = 0;
  }
  opts.logger?.info(
    {
      dir,
      lastSeq: rec.lastSeq,
      snapshotSeq: rec.snapshotSeq,
      records: rec.replay.count,
      truncatedBytes: rec.replay.truncatedBytes,
      torn: rec.tornReason,
    },
    'wal opened',
  );
  if (rec.replay.truncatedBytes > 0) {
    opts.logger?.warn({ bytes: rec.replay.truncatedBytes, reason: rec.tornReason }, 'wal torn tail truncated');
  }
  const log = new Wal({
    dir,
    segmentBytes: opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
    logger: opts.logger,
    handle,
    segments,
    tailBytes,
    lastSeq: rec.lastSeq,
    snapshotSeq: rec.snapshotSeq,
    snapshotPaths: rec.snapshotPaths,
    lock,
  });
  return { log, replay: rec.replay };
}

/**
 * A crash in the middle of a compaction leaves older snapshots, and segments whose records the newest
 * snapshot covers, beside it (replay skips them). They are deleted here, as that compaction would
 * have, so they do not wait on disk, and get read again at every start, until the next snapshot.
 */
async function finishCompaction(dir: string, rec: Recovered, logger: Logger | undefined): Promise<void> {
  const keep = rec.snapshotPaths.at(-1);
  const stale = rec.snapshotPaths.slice(0, -1);
  while (rec.segments.length > 1 && rec.segments[1]!.firstSeq - 1 <= rec.snapshotSeq) stale.push(rec.segments.shift()!.path);
  if (stale.length === 0) return;
  for (const p of stale) await rm(p, { force: true });
  await fsyncDir(dir);
  rec.snapshotPaths = keep ? [keep] : [];
  logger?.info({ files: stale.length }, 'wal: finished a compaction a crash interrupted');
}
