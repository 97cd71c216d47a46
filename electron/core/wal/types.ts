// The WAL's contract with the rest of the core. The brain decides what records mean;
// the WAL only makes them durable, in order, and gives them back on replay.
export interface WalRecord {
  /** record kind, e.g. "mutation", "approve", "panic" — defined by the brain */
  t: string;
  [k: string]: unknown;
}

export interface DurableLog {
  /** Resolves with the record's sequence number once it (and all before it) is fsynced. Group-committed. */
  append(record: WalRecord): Promise<number>;
  /** Same, for several records that must become durable together (one frame each, one commit). */
  appendMany(records: WalRecord[]): Promise<number>;
  /** Atomically stores `state` as the snapshot at `seq` and drops log segments wholly covered by it. */
  snapshot(state: unknown, seq: number): Promise<void>;
  /** Last sequence number assigned. */
  readonly lastSeq: number;
  close(): Promise<void>;
}

export interface ReplayResult {
  snapshot: { seq: number; state: unknown } | null;
  /** records after the snapshot, in order */
  records: Array<{ seq: number; record: WalRecord }>;
  /** bytes dropped from a torn tail (a crash mid-write); 0 on a clean log */
  truncatedBytes: number;
}
