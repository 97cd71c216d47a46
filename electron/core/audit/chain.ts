// The hash chain of the audit log: each stored entry carries the SHA-256 of the entry before it
// (`prev`) and its own (`hash`), both over canonical JSON (RFC 8785), so editing,
// removing or reordering any entry breaks every hash after it. Pure functions, no I/O.
import { createHash } from 'node:crypto';

/** `prev` of the first entry. */
export const GENESIS = '0'.repeat(64);

/** One line of an audit segment: the panel's entry plus its place in the chain. */
export interface StoredAuditEntry {
  /** position in the audit log: 1, 2, 3… without gaps, for as long as the data folder lives */
  seq: number;
  /** WAL sequence number of the record that produced it (the brain's count) */
  wal: number;
  at: number;
  kind: string;
  actor: string | null;
  role: string | null;
  summary: string;
  reason: string | null;
  terminal: boolean;
  prev: string;
  hash: string;
}

export type UnhashedEntry = Omit<StoredAuditEntry, 'hash'>;

/**
 * The entry's canonical bytes: RFC 8785 (JCS) of its fields without `hash`. The entry is flat and
 * its values are strings, numbers, booleans and null, so JCS is JSON.stringify with the keys in
 * code-unit order (the test checks it against the `canonicalize` package); a third of the cost.
 */
export function canonicalBytes(e: UnhashedEntry): string {
  const { actor, at, kind, prev, reason, role, seq, summary, terminal, wal } = e;
  return JSON.stringify({ actor, at, kind, prev, reason, role, seq, summary, terminal, wal });
}

export function hashEntry(e: UnhashedEntry): string {
  return createHash('sha256').update(canonicalBytes(e)).digest('hex');
}

export function seal(e: UnhashedEntry): StoredAuditEntry {
  return { ...e, hash: hashEntry(e) };
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const isStrOrNull = (x: unknown) => x === null || typeof x === 'string';
const isInt = (x: unknown): x is number => Number.isSafeInteger(x);

/** Parses one line; returns the entry, or why it is not one (shape only, not the chain). */
export function parseLine(line: string): StoredAuditEntry | string {
  let x: Record<string, unknown>;
  try {
    x = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'not an object';
  const ok =
    isInt(x.seq) &&
    isInt(x.wal) &&
    typeof x.at === 'number' &&
    isStr(x.kind) &&
    isStrOrNull(x.actor) &&
    isStrOrNull(x.role) &&
    isStr(x.summary) &&
    isStrOrNull(x.reason) &&
    typeof x.terminal === 'boolean' &&
    isStr(x.prev) &&
    isStr(x.hash);
  return ok ? (x as unknown as StoredAuditEntry) : 'a field is missing or has the wrong type';
}

/** Why `e` does not follow (`seq`, `hash`) of the entry before it, or null when it does. */
export function chainBreak(e: StoredAuditEntry, prevSeq: number, prevHash: string): string | null {
  if (e.seq !== prevSeq + 1) return `seq ${e.seq} follows ${prevSeq} (expected ${prevSeq + 1})`;
  if (e.prev !== prevHash) return `prev ${e.prev.slice(0, 12)}… is not the hash of entry ${prevSeq} (${prevHash.slice(0, 12)}…)`;
  const h = hashEntry(e);
  if (h !== e.hash) return `content does not match its hash (stored ${e.hash.slice(0, 12)}…, computed ${h.slice(0, 12)}…)`;
  return null;
}
