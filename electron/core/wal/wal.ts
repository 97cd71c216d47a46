// The writer side of the durable log: assigns sequence numbers, group-commits frames (one write +
// one fdatasync per batch, batches grow while a flush is in flight), rolls segments, and takes
// snapshots that compact the log. One serial pump does all I/O on the segments; a snapshot's own file
// is written and fsynced beside it, so acks never wait for a snapshot's write.
import type { FileHandle } from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { VibeSyncError } from '../../../shared/protocol/errors.js';
import { WalWriteError } from './errors.js';
import { fsyncDir, openSegment, SEGMENT_DSYNC, segmentName } from './files.js';
import type { WalLock } from './lock.js';
import { encodeFrame, MAX_PAYLOAD_BYTES } from './frame.js';
import type { Segment } from './replay.js';
import { writeSnapshot } from './snapshot-file.js';
import type { DurableLog, WalRecord } from './types.js';

export interface WalStats {
  /** records made durable since open */
  records: number;
  /** write + fdatasync rounds since open (group commit keeps this far below `records`) */
  flushes: number;
  bytes: number;
  /** most records made durable by one flush */
  maxBatch: number;
  segments: number;
}

/** The log `openWal` returns: the agreed DurableLog plus counters for tests and benchmarks. */
export interface WalLog extends DurableLog {
  stats(): WalStats;
}

export interface WalWriterState {
  dir: string;
  segmentBytes: number;
  logger: Logger | undefined;
  handle: FileHandle;
  segments: Segment[];
  tailBytes: number;
  lastSeq: number;
  snapshotSeq: number;
  snapshotPaths: string[];
  lock: WalLock;
}

interface Waiter {
  seq: number;
  resolve: (seq: number) => void;
  reject: (e: unknown) => void;
}
interface SnapshotJob {
  seq: number;
  json: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class Wal implements WalLog {
  private readonly dir: string;
  private readonly segmentBytes: number;
  private readonly logger: Logger | undefined;
  private readonly lock: WalLock;
  private handle: FileHandle;
  private segments: Segment[];
  private segmentSize: number;
  private assigned: number;
  private durable: number;
  private snapshotSeq: number;
  /** highest seq asked for so far; later requests may not go below it, even before it is written */
  private requestedSnapshotSeq: number;
  private snapshotPaths: string[];
  private queue: Buffer[] = [];
  private waiters: Waiter[] = [];
  private jobs: SnapshotJob[] = [];
  private pumping = false;
  /** the snapshot file being written beside the pump (at most one at a time) */
  private snapshotting: Promise<void> | null = null;
  /** snapshot files written and durable, for the pump to roll the segment and compact */
  private written: Array<{ job: SnapshotJob; path: string }> = [];
  private idleWaiters: Array<() => void> = [];
  private failure: Error | null = null;
  private closed = false;
  private readonly counters = { records: 0, flushes: 0, bytes: 0, maxBatch: 0 };

  constructor(s: WalWriterState) {
    this.dir = s.dir;
    this.segmentBytes = s.segmentBytes;
    this.logger = s.logger;
    this.lock = s.lock;
    this.handle = s.handle;
    this.segments = s.segments;
    this.segmentSize = s.tailBytes;
    this.assigned = s.lastSeq;
    this.durable = s.lastSeq;
    this.snapshotSeq = s.snapshotSeq;
    this.requestedSnapshotSeq = s.snapshotSeq;
    this.snapshotPaths = s.snapshotPaths;
  }

  get lastSeq(): number {
    return this.assigned;
  }

  stats(): WalStats {
    return { ...this.counters, segments: this.segments.length };
  }

  append(record: WalRecord): Promise<number> {
    try {
      this.assertWritable();
      const json = serialiseRecord(record);
      return this.enqueue([encodeFrame(this.assigned + 1, json, false)]);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  appendMany(records: WalRecord[]): Promise<number> {
    try {
      this.assertWritable();
      if (!Array.isArray(records)) throw new VibeSyncError('SCHEMA_VIOLATION', 'appendMany expects an array of records');
      // Serialise everything first: one bad record rejects the call with no sequence number used.
      const jsons = records.map(serialiseRecord);
      const frames = jsons.map((j, i) => encodeFrame(this.assigned + 1 + i, j, i < jsons.length - 1));
      return this.enqueue(frames);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  snapshot(state: unknown, seq: number): Promise<void> {
    try {
      this.assertWritable();
      if (!Number.isSafeInteger(seq) || seq < this.requestedSnapshotSeq || seq > this.assigned) {
        throw new VibeSyncError(
          'INTERNAL',
          `snapshot seq ${seq} must be an integer between ${this.requestedSnapshotSeq} and ${this.assigned}`,
        );
      }
      const json = serialise(state, 'snapshot state');
      this.requestedSnapshotSeq = seq;
      return new Promise<void>((resolve, reject) => {
        this.jobs.push({ seq, json, resolve, reject });
        this.schedule();
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    try {
      await this.handle.close();
    } finally {
      await this.lock.release();
    }
  }

  private assertWritable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new VibeSyncError('INTERNAL', 'the WAL is closed');
  }

  private enqueue(frames: Buffer[]): Promise<number> {
    this.assigned += frames.length;
    for (const f of frames) this.queue.push(f);
    const seq = this.assigned;
    // Nothing new to write (empty appendMany) and everything already durable: nothing to wait for.
    if (frames.length === 0 && seq === this.durable) return Promise.resolve(seq);
    return new Promise<number>((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.schedule();
    });
  }

  /** Defers the pump by a microtask so appends made in the same tick share one flush. */
  private schedule(): void {
    if (this.pumping) return;
    this.pumping = true;
    queueMicrotask(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const job = this.jobs[0];
        const done = this.written.shift();
        if (done) {
          await this.finishSnapshot(done.job, done.path);
        } else if (job && job.seq <= this.durable && !this.snapshotting) {
          this.jobs.shift();
          this.snapshotting = this.writeSnapshotFile(job);
        } else if (this.queue.length > 0) {
          await this.flush();
        } else {
          break;
        }
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.pumping = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async flush(): Promise<void> {
    const frames = this.queue;
    this.queue = [];
    const through = this.assigned;
    if (this.segmentSize >= this.segmentBytes) await this.roll(this.durable + 1);
    const buf = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    let written = 0;
    while (written < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, written, buf.length - written, this.segmentSize + written);
      written += bytesWritten;
    }
    if (!SEGMENT_DSYNC) await this.handle.datasync();
    this.segmentSize += buf.length;
    const batch = through - this.durable;
    this.durable = through;
    this.counters.records += batch;
    this.counters.flushes++;
    this.counters.bytes += buf.length;
    if (batch > this.counters.maxBatch) this.counters.maxBatch = batch;
    let done = 0;
    while (done < this.waiters.length && this.waiters[done]!.seq <= through) done++;
    for (const w of this.waiters.splice(0, done)) w.resolve(w.seq);
  }

  /** Starts a new segment whose first record will be `firstSeq`; the old one is sealed. */
  private async roll(firstSeq: number): Promise<void> {
    const path = join(this.dir, segmentName(firstSeq));
    const handle = await openSegment(path, 'create');
    try {
      await fsyncDir(this.dir);
    } catch (e) {
      await handle.close();
      throw e;
    }
    const old = this.handle;
    this.handle = handle;
    this.segmentSize = 0;
    this.segments.push({ firstSeq, path });
    await old.close();
  }

  /** Beside the pump: the snapshot file, written and fsynced; then the pump finishes the job. */
  private async writeSnapshotFile(job: SnapshotJob): Promise<void> {
    try {
      this.written.push({ job, path: await writeSnapshot(this.dir, job.seq, job.json) });
    } catch (e) {
      // A failed snapshot leaves the log itself intact, so only this call fails.
      this.logger?.error({ err: e, seq: job.seq }, 'wal snapshot failed');
      job.reject(e);
    } finally {
      this.snapshotting = null;
      if (this.written.length > 0 || this.jobs.length > 0) this.schedule();
    }
  }

  /** In the pump, once the snapshot file is durable: a new segment, then compaction up to its seq. */
  private async finishSnapshot(job: SnapshotJob, path: string): Promise<void> {
    try {
      if (this.segmentSize > 0) await this.roll(this.durable + 1);
      this.snapshotSeq = job.seq;
      await this.compact(job.seq, path);
      this.logger?.info({ seq: job.seq, segments: this.segments.length }, 'wal snapshot written');
      job.resolve();
    } catch (e) {
      this.logger?.error({ err: e, seq: job.seq }, 'wal snapshot failed');
      job.reject(e);
    }
  }

  /** Deletes segments whose records are all covered by the snapshot at `seq`, and older snapshots. */
  private async compact(seq: number, keepSnapshot: string): Promise<void> {
    while (this.segments.length > 1 && this.segments[1]!.firstSeq - 1 <= seq) {
      await rm(this.segments[0]!.path, { force: true });
      this.segments.shift();
    }
    for (const p of this.snapshotPaths) if (p !== keepSnapshot) await rm(p, { force: true });
    this.snapshotPaths = [keepSnapshot];
    await fsyncDir(this.dir);
  }

  private fail(e: unknown): void {
    this.failure = new WalWriteError('write or fsync failed; the log refuses further writes', { cause: e });
    this.logger?.fatal({ err: e }, 'wal write failed');
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    for (const j of this.jobs.splice(0)) j.reject(this.failure);
    this.queue = [];
  }

  /** Resolves once the pump has stopped and no snapshot is being written. */
  private async idle(): Promise<void> {
    for (;;) {
      if (this.pumping) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      else if (this.snapshotting) await this.snapshotting;
      else return;
    }
  }
}

function serialise(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    throw new VibeSyncError('SCHEMA_VIOLATION', `${what} is not serialisable: ${(e as Error).message}`);
  }
  if (json === undefined) throw new VibeSyncError('SCHEMA_VIOLATION', `${what} is not serialisable`);
  return json;
}

function serialiseRecord(record: WalRecord): string {
  if (typeof record !== 'object' || record === null || Array.isArray(record) || typeof record.t !== 'string') {
    throw new VibeSyncError('SCHEMA_VIOLATION', 'a WAL record is an object with a string "t"');
  }
  const json = serialise(record, 'WAL record');
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so most records skip the exact count.
  if (json.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(json) > MAX_PAYLOAD_BYTES)
    throw new VibeSyncError('TOO_LARGE', 'WAL record exceeds the frame limit');
  return json;
}
