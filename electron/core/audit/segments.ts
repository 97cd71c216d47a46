// The audit folder on disk: segment files `audit-<firstSeq>.jsonl` (one entry a line) and, beside
// each sealed segment, its sparse index `audit-<firstSeq>.idx.json`: seq range, time range and
// how many entries of each kind it holds, so a search skips segments that cannot match without
// reading them. The index is a cache: a missing or stale one is rebuilt from its segment.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditCorruptionError } from './errors.js';
import { parseLine, type StoredAuditEntry } from './chain.js';

const PAD = 16;
const SEGMENT_RE = /^audit-(\d{16})\.jsonl$/;

export const segmentName = (first: number) => `audit-${String(first).padStart(PAD, '0')}.jsonl`;
export const indexName = (first: number) => `audit-${String(first).padStart(PAD, '0')}.idx.json`;

export interface SegmentIndex {
  /** seq of the segment's first entry (also its name) */
  first: number;
  /** seq of its last entry (first - 1 while empty) */
  last: number;
  minAt: number;
  maxAt: number;
  kinds: Record<string, number>;
  /** hash of its last entry ('' while empty) */
  lastHash: string;
  /** bytes of whole lines */
  bytes: number;
}

export interface SegmentFile {
  first: number;
  path: string;
  index: SegmentIndex;
}

export const emptyIndex = (first: number): SegmentIndex => ({
  first,
  last: first - 1,
  minAt: Infinity,
  maxAt: -Infinity,
  kinds: {},
  lastHash: '',
  bytes: 0,
});

export function addToIndex(ix: SegmentIndex, e: StoredAuditEntry, bytes: number) {
  ix.last = e.seq;
  ix.minAt = Math.min(ix.minAt, e.at);
  ix.maxAt = Math.max(ix.maxAt, e.at);
  ix.kinds[e.kind] = (ix.kinds[e.kind] ?? 0) + 1;
  ix.lastHash = e.hash;
  ix.bytes += bytes;
}

/** Segment files in `dir`, ascending by first seq (indexes not loaded). */
export function listSegments(dir: string): Array<{ first: number; path: string }> {
  const out: Array<{ first: number; path: string }> = [];
  for (const name of readdirSync(dir)) {
    const m = SEGMENT_RE.exec(name);
    if (m?.[1]) out.push({ first: Number(m[1]), path: join(dir, name) });
  }
  return out.sort((a, b) => a.first - b.first);
}

/** Splits a segment's bytes into its lines (the last, if unterminated, is not returned). */
export function splitLines(buf: Buffer): string[] {
  const text = buf.toString('utf8');
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

/** Builds a segment's index by reading it; a line that is not an entry is corruption. */
export function scanIndex(path: string, first: number, buf = readFileSync(path)): SegmentIndex {
  const ix = emptyIndex(first);
  let offset = 0;
  for (const line of splitLines(buf)) {
    const e = parseLine(line);
    if (typeof e === 'string') throw new AuditCorruptionError(path, offset, e);
    const bytes = Buffer.byteLength(line) + 1;
    addToIndex(ix, e, bytes);
    offset += bytes;
  }
  return ix;
}

/** A sealed segment's index from its sidecar, rebuilt (and rewritten) when missing or stale. */
export function loadIndex(dir: string, first: number, path: string): SegmentIndex {
  const side = join(dir, indexName(first));
  try {
    const ix = JSON.parse(readFileSync(side, 'utf8')) as SegmentIndex;
    if (ix.first === first && ix.bytes === statSync(path).size && ix.last >= first) return ix;
  } catch {
    // missing or unreadable: rebuilt below
  }
  const ix = scanIndex(path, first);
  writeIndex(dir, ix);
  return ix;
}

/** Writes a sealed segment's sidecar atomically (tmp, fsync, rename). */
export function writeIndex(dir: string, ix: SegmentIndex) {
  const side = join(dir, indexName(ix.first));
  const tmp = `${side}.tmp`;
  writeFileSync(tmp, JSON.stringify(ix));
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, side);
}

export function fsyncDirSync(dir: string) {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
