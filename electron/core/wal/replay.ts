// Recovery on open: the newest snapshot, then every record after it, checked end to end.
// A torn tail of the last segment (a crash mid-write, or a commit group cut short) is truncated
// on disk; any other damage, a sequence gap, or a missing segment throws WalCorruptionError.
import { open } from 'node:fs/promises';
import { WalCorruptionError } from './errors.js';
import { listWalDir, readWhole, removeTmpFiles, type NamedFile } from './files.js';
import { payloadOf, scanFrames, type Frame } from './frame.js';
import { readSnapshot } from './snapshot-file.js';
import type { ReplayedRecord, ReplayResult, WalRecord } from './types.js';

export interface Segment {
  firstSeq: number;
  path: string;
}

export interface Recovered {
  replay: ReplayResult;
  lastSeq: number;
  /** all segments on disk, ascending; the last one is where appends continue */
  segments: Segment[];
  /** byte length of the last segment after any truncation */
  tailBytes: number;
  snapshotSeq: number;
  snapshotPaths: string[];
  tornReason: string | null;
}

export async function recover(dir: string): Promise<Recovered> {
  await removeTmpFiles(dir);
  const { segments, snapshots } = await listWalDir(dir);
  const newest = snapshots.at(-1);
  const snapshot = newest ? await readSnapshot(newest.path, newest.seq) : null;
  const snapshotSeq = snapshot?.seq ?? 0;
  const pending: Array<{ buf: Buffer; path: string; frames: Frame[] }> = [];

  const first = segments[0];
  if (first && first.seq > snapshotSeq + 1) {
    throw new WalCorruptionError(first.path, 0, `log starts at seq ${first.seq} but seq ${snapshotSeq + 1} is needed`);
  }
  let nextSeq = first ? first.seq : snapshotSeq + 1;
  let tail: { seg: NamedFile; size: number; keep: number; reason: string | null } | null = null;
  for (const [i, seg] of segments.entries()) {
    if (seg.seq !== nextSeq) throw new WalCorruptionError(seg.path, 0, `segment should start at seq ${nextSeq}`);
    const isLast = i === segments.length - 1;
    const buf = await readWhole(seg.path);
    const scan = scanFrames(buf, seg.seq);
    if (scan.stop.kind === 'corrupt') throw new WalCorruptionError(seg.path, scan.stop.at, scan.stop.reason);
    const damaged = scan.stop.kind === 'torn' || scan.committedFrames < scan.frames.length;
    if (damaged && !isLast) {
      const at = scan.stop.kind === 'torn' ? scan.stop.at : scan.committedEnd;
      throw new WalCorruptionError(seg.path, at, 'a sealed segment ends mid-frame or mid-commit');
    }
    const frames = scan.frames.slice(0, scan.committedFrames);
    const after = frames.filter((f) => f.seq > snapshotSeq);
    if (after.length > 0) pending.push({ buf, path: seg.path, frames: after });
    nextSeq = seg.seq + frames.length;
    if (isLast) {
      const reason = scan.stop.kind === 'torn' ? scan.stop.reason : damaged ? 'commit group cut short' : null;
      tail = { seg, size: buf.length, keep: scan.committedEnd, reason };
    }
  }
  if (tail && nextSeq <= snapshotSeq) {
    throw new WalCorruptionError(tail.seg.path, tail.keep, `log ends at seq ${nextSeq - 1}, before snapshot seq ${snapshotSeq}`);
  }
  const truncatedBytes = tail ? tail.size - tail.keep : 0;
  if (tail && truncatedBytes > 0) await truncateDurably(tail.seg.path, tail.keep);

  return {
    replay: new Replay(snapshot, pending, truncatedBytes),
    lastSeq: Math.max(snapshotSeq, nextSeq - 1),
    segments: segments.map((s) => ({ firstSeq: s.seq, path: s.path })),
    tailBytes: tail ? tail.keep : 0,
    snapshotSeq,
    snapshotPaths: snapshots.map((s) => s.path),
    tornReason: tail?.reason ?? null,
  };
}

class Replay implements ReplayResult {
  readonly count: number;
  private decoded: ReplayedRecord[] | null = null;

  constructor(
    readonly snapshot: ReplayResult['snapshot'],
    private readonly segments: Array<{ buf: Buffer; path: string; frames: Frame[] }>,
    readonly truncatedBytes: number,
  ) {
    this.count = segments.reduce((n, s) => n + s.frames.length, 0);
  }

  *stream(): Iterable<ReplayedRecord> {
    for (const { buf, path, frames } of this.segments) {
      for (const f of frames) yield { seq: f.seq, record: parseRecord(payloadOf(buf, f), path, f.offset) };
    }
  }

  get records(): ReplayedRecord[] {
    return (this.decoded ??= [...this.stream()]);
  }
}

function parseRecord(json: string, file: string, offset: number): WalRecord {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new WalCorruptionError(file, offset, 'payload is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as WalRecord).t !== 'string') {
    throw new WalCorruptionError(file, offset, 'payload is not a WAL record');
  }
  return value as WalRecord;
}

async function truncateDurably(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
