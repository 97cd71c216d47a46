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

export interface ReplayedRecord {
  seq: number;
  record: WalRecord;
}

export interface ReplayResult {
  snapshot: { seq: number; state: unknown } | null;
  /** how many records follow the snapshot */
  count: number;
  /**
   * The records after the snapshot, in order, each decoded as the iteration reaches it, so a
   * consumer that applies and drops them never holds the whole log as objects (a third of the
   * replay time of a 100k-record log was the garbage collector moving them). Every frame was
   * CRC-checked before this was handed out; a payload that is still not a record throws
   * WalCorruptionError from the iteration.
   */
  stream(): Iterable<ReplayedRecord>;
  /** the same records as an array, decoded once on first use */
  readonly records: ReplayedRecord[];
  /** bytes dropped from a torn tail (a crash mid-write); 0 on a clean log */
  truncatedBytes: number;
}
