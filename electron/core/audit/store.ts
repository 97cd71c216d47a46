// The audit log's store: append-only, hash-chained, durable (group commit: one write + one
// fdatasync per batch, like the WAL), in segments of JSON lines under <data>/audit/. It holds no
// entries in memory beyond the batch being written and one small index per segment; searches and
// pages read the segments from disk, newest first, skipping those their index rules out.
import { closeSync, fdatasync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, write } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { matchesAudit } from '../../../shared/ipc/index.js';
import { GENESIS, parseLine, seal, type StoredAuditEntry } from './chain.js';
import { AuditCorruptionError, AuditWriteError } from './errors.js';
import {
  addToIndex,
  emptyIndex,
  fsyncDirSync,
  listSegments,
  loadIndex,
  scanIndex,
  segmentName,
  splitLines,
  writeIndex,
  type SegmentIndex,
} from './segments.js';

const writeAsync = promisify(write);
const datasyncAsync = promisify(fdatasync);

export const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;

/** What a caller records; the store adds seq, prev and hash. */
export type AuditInput = Omit<StoredAuditEntry, 'seq' | 'prev' | 'hash'>;

export interface AuditQuery {
  /** case-insensitive, anywhere in summary, reason, actor or kind */
  text?: string | undefined;
  kinds?: string[] | undefined;
  /** exact actor name */
  actor?: string | undefined;
  /** time range, ms since the epoch, inclusive */
  from?: number | undefined;
  to?: number | undefined;
  /** cursor: only entries with seq below it (the `next` of the previous page) */
  before?: number | undefined;
  limit: number;
}

export interface AuditPage {
  /** newest first */
  entries: StoredAuditEntry[];
  /** pass as `before` for the next (older) page; null when no older entry matches */
  next: number | null;
}

export interface AuditStats {
  entries: number;
  segments: number;
  /** entries appended but not yet durable */
  pending: number;
  flushes: number;
}

export interface AuditStoreOptions {
  /** a segment is sealed once it holds this many bytes (default 4 MiB) */
  segmentBytes?: number;
}

interface Segment {
  first: number;
  path: string;
  index: SegmentIndex;
}

export class AuditStore {
  /** bytes cut off a torn last line when the store was loaded */
  truncatedBytes = 0;
  private segments: Segment[] = [];
  private fd = -1;
  private seq = 0;
  private head = GENESIS;
  private wal = 0;
  private loaded = false;
  private queue: StoredAuditEntry[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private pumping = false;
  private failure: Error | null = null;
  private closed = false;
  private flushes = 0;

  /** Opens (creating) the audit folder at once: `unopened(dir).load()`. */
  static open(dir: string, opts: AuditStoreOptions = {}): AuditStore {
    const store = AuditStore.unopened(dir, opts);
    store.load();
    return store;
  }

  /**
   * A store that touches the disk only on `load()`: the orchestrator loads it once it holds the
   * WAL's lock, so a second orchestrator on the same folder never cuts a line the first is writing.
   */
  static unopened(dir: string, opts: AuditStoreOptions = {}): AuditStore {
    return new AuditStore(dir, opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES);
  }

  private constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
  ) {}

  /**
   * Reads the folder (creating it). A torn last line — a crash mid-write — is cut off the newest
   * segment; any other line that is not an entry throws AuditCorruptionError.
   */
  load() {
    if (this.loaded) return;
    const dir = this.dir;
    mkdirSync(dir, { recursive: true });
    const files = listSegments(dir);
    if (files.length === 0) {
      const path = join(dir, segmentName(1));
      closeSync(openSync(path, 'a'));
      fsyncDirSync(dir);
      files.push({ first: 1, path });
    }
    const segments = files.slice(0, -1).map((f) => ({ ...f, index: loadIndex(dir, f.first, f.path) }));
    const active = files.at(-1)!;
    const buf = readFileSync(active.path);
    const keep = wholeLines(buf);
    const index = scanIndex(active.path, active.first, buf.subarray(0, keep));
    this.fd = openSync(active.path, 'r+');
    if (keep < buf.length) {
      ftruncateSync(this.fd, keep);
      fsyncSync(this.fd);
    }
    this.truncatedBytes = buf.length - keep;
    segments.push({ ...active, index });
    this.segments = segments;
    const before = [...segments].reverse().find((s) => s.index.last >= s.first);
    this.seq = before?.index.last ?? 0;
    this.head = before?.index.lastHash || GENESIS;
    this.wal = before ? this.lastWalOf(before) : 0;
    this.loaded = true;
  }

  /** seq of the newest entry (0 when empty) */
  get lastSeq(): number {
    return this.seq;
  }
  /** `wal` of the newest entry: what the brain has already recorded (0 when empty) */
  get lastWal(): number {
    return this.wal;
  }
  get headHash(): string {
    return this.head;
  }

  stats(): AuditStats {
    return { entries: this.seq, segments: this.segments.length, pending: this.queue.length, flushes: this.flushes };
  }

  /** Chains the entry at once (its seq is final); it is durable once `flushed()` resolves. */
  append(input: AuditInput): StoredAuditEntry {
    if (this.closed) throw new AuditWriteError('the audit log is closed');
    if (!this.loaded) throw new AuditWriteError('the audit log is not open yet');
    if (this.failure) throw this.failure;
    const e = seal({
      seq: this.seq + 1,
      wal: input.wal,
      at: input.at,
      kind: input.kind,
      actor: input.actor,
      role: input.role,
      summary: input.summary,
      reason: input.reason,
      terminal: input.terminal,
      prev: this.head,
    });
    this.seq = e.seq;
    this.head = e.hash;
    this.wal = e.wal;
    this.queue.push(e);
    if (!this.pumping) {
      this.pumping = true;
      queueMicrotask(() => void this.pump());
    }
    return e;
  }

  /** Resolves once every entry appended so far is on disk and fdatasynced. */
  flushed(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.pumping && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async pump() {
    while (this.queue.length > 0 && !this.failure) {
      const batch = this.queue;
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        // A batch is split where the active segment fills up, so no segment grows past about segmentBytes.
        let from = 0;
        while (from < batch.length) {
          if (this.segments.at(-1)!.index.bytes >= this.segmentBytes) this.roll(batch[from]!.seq);
          const seg = this.segments.at(-1)!;
          let room = this.segmentBytes - seg.index.bytes;
          const lines: string[] = [];
          for (let i = from; i < batch.length && (lines.length === 0 || room > 0); i++) {
            const line = JSON.stringify(batch[i]) + '\n';
            lines.push(line);
            room -= Buffer.byteLength(line);
          }
          const buf = Buffer.from(lines.join(''));
          let at = 0;
          while (at < buf.length) at += (await writeAsync(this.fd, buf, at, buf.length - at, seg.index.bytes + at)).bytesWritten;
          await datasyncAsync(this.fd);
          this.flushes++;
          lines.forEach((line, i) => addToIndex(seg.index, batch[from + i]!, Buffer.byteLength(line)));
          from += lines.length;
        }
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.failure = err instanceof AuditWriteError ? err : new AuditWriteError(String(err), { cause: err });
        for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
        this.waiters = [];
      }
    }
    this.pumping = false;
    // Waiters that arrived while the last batch was in flight, with nothing left to write.
    const idle = this.waiters;
    this.waiters = [];
    for (const w of idle) {
      if (this.failure) w.reject(this.failure);
      else w.resolve();
    }
  }

  /** Seals the active segment (its index goes beside it) and starts a new one at `first`. */
  private roll(first: number) {
    const active = this.segments.at(-1)!;
    fsyncSync(this.fd);
    closeSync(this.fd);
    writeIndex(this.dir, active.index);
    const path = join(this.dir, segmentName(first));
    this.fd = openSync(path, 'w+');
    fsyncDirSync(this.dir);
    this.segments.push({ first, path, index: emptyIndex(first) });
  }

  /**
   * One page of matching entries, newest first, read from disk. Segments wholly at or after
   * `before`, outside the time range, or holding none of the asked kinds are not read.
   */
  async search(q: AuditQuery): Promise<AuditPage> {
    await this.flushed();
    const needle = q.text?.trim().toLowerCase() || null;
    const kinds = q.kinds?.length ? new Set(q.kinds) : null;
    const before = q.before ?? Infinity;
    const from = q.from ?? -Infinity;
    const to = q.to ?? Infinity;
    const probe = rawProbe(needle);
    const kindMarks = q.kinds?.length ? q.kinds.map((k) => `"kind":${JSON.stringify(k)}`) : null;
    const actorMark = q.actor !== undefined ? `"actor":${JSON.stringify(q.actor)}` : null;
    const out: StoredAuditEntry[] = [];
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const { index, path } = this.segments[i]!;
      if (index.last < index.first || index.first >= before) continue;
      if (index.maxAt < from || index.minAt > to) continue;
      if (kinds && ![...kinds].some((k) => index.kinds[k])) continue;
      const bytes = (await readFile(path)).subarray(0, index.bytes);
      // The raw bytes are a superset of the searched fields, so most lines (or the whole segment)
      // are ruled out unparsed: the text anywhere, `"kind":"…"` / `"actor":"…"` as JSON.stringify wrote them.
      if (probe && !probe(bytes.toString('utf8'))) continue;
      const lines = splitLines(bytes);
      for (let j = lines.length - 1; j >= 0; j--) {
        const line = lines[j]!;
        if (kindMarks && !kindMarks.some((m) => line.includes(m))) continue;
        if (actorMark && !line.includes(actorMark)) continue;
        if (probe && !probe(line)) continue;
        const e = parseLine(line);
        if (typeof e === 'string') throw new AuditCorruptionError(path, 0, `entry ${index.first + j}: ${e}`);
        if (!matchesAudit(e, q)) continue;
        out.push(e);
        if (out.length > q.limit) return { entries: out.slice(0, q.limit), next: out[q.limit - 1]!.seq };
      }
    }
    return { entries: out, next: null };
  }

  /** The newest `n` entries, oldest first, read synchronously (startup only: the brain's window). */
  tail(n: number): StoredAuditEntry[] {
    const out: StoredAuditEntry[] = this.queue.slice(-n).reverse();
    for (let i = this.segments.length - 1; i >= 0 && out.length < n; i--) {
      const { index, path } = this.segments[i]!;
      if (index.last < index.first) continue;
      const lines = splitLines(readFileSync(path).subarray(0, index.bytes));
      for (let j = lines.length - 1; j >= 0 && out.length < n; j--) {
        const e = parseLine(lines[j]!);
        if (typeof e === 'string') throw new AuditCorruptionError(path, 0, `entry ${index.first + j}: ${e}`);
        out.push(e);
      }
    }
    return out.reverse();
  }

  private lastWalOf(s: Segment): number {
    const lines = splitLines(readFileSync(s.path).subarray(0, s.index.bytes));
    const e = parseLine(lines.at(-1) ?? '');
    return typeof e === 'string' ? 0 : e.wal;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushed().catch(() => {});
    this.closed = true;
    if (this.fd >= 0) closeSync(this.fd);
  }
}

/**
 * A test that is true of any raw JSON text in which `needle` (lower case) may appear,
 * case-insensitively, once parsed: never false when it does. A needle JSON would write escaped (a
 * quote, a backslash, a control character) is not looked for in the raw bytes at all; an ASCII one
 * is looked for with one case-insensitive RegExp (no lower-cased copy of a 4 MiB segment).
 */
function rawProbe(needle: string | null): ((text: string) => boolean) | null {
  // eslint-disable-next-line no-control-regex -- JSON escapes exactly these
  if (needle === null || /["\\\x00-\x1f]/.test(needle)) return null;
  // eslint-disable-next-line no-control-regex -- "ASCII only" is the point
  if (!/^[\x00-\x7f]*$/.test(needle)) return (text) => text.toLowerCase().includes(needle);
  const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  return (text) => re.test(text);
}

/** Length of the buffer's whole lines: a torn tail (no final newline, or zero fill) is left out. */
function wholeLines(buf: Buffer): number {
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) end--;
  if (end === 0) return 0;
  if (buf[end - 1] === 10) return end;
  return buf.lastIndexOf(10, end - 1) + 1;
}
