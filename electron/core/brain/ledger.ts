// The brain's durable state and its write path: every decision is a record, applied to the state
// at once (so the next message is checked against it) and appended to the WAL (group commit);
// compaction snapshots every `compactEvery` records; startup restores a snapshot plus the records
// after it through the same reducer (records.ts). A WAL that fails puts the orchestrator in PANIC.
import type { Clock } from '../../../shared/clock.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { DurableLog, ReplayResult, WalRecord } from '../wal/types.js';
import type { AuditEntry } from '../../../shared/ipc/index.js';
import type { AuditSink, Changes, Ledger, Logger } from './context.js';
import { AUDIT_KEEP, emptyState, exportState, importState, type DurableState, type ExportedState } from './durable-state.js';
import { panicView } from './failures.js';
import { applyRecord, type BrainRecord } from './records.js';
import type { Patch } from './scene-model.js';

export interface LedgerDeps {
  log: DurableLog;
  clock: Clock;
  logger: Logger;
  changes: Changes;
  compactEvery: number;
  /** the durable audit log; without one, audit entries live only in the state's window */
  audit?: AuditSink | undefined;
}

/** The fields of an audit entry, without anything a store added. */
const plain = (e: AuditEntry): AuditEntry => ({
  seq: e.seq,
  at: e.at,
  kind: e.kind,
  actor: e.actor,
  role: e.role,
  summary: e.summary,
  reason: e.reason,
  terminal: e.terminal,
});

export class DurableLedger implements Ledger {
  private current: DurableState = emptyState();
  /** the brain's own count of WAL sequence numbers, so audit entries carry theirs synchronously */
  private lastSeq = 0;
  private wal: DurableLog;
  private sinceCompact = 0;
  private lastWrite: Promise<unknown> = Promise.resolve();
  private lastSnapshot: Promise<unknown> = Promise.resolve();
  /** the seq of the latest snapshot handed to the WAL (an older one asked for later is skipped) */
  private snapshotAskedAt = -1;

  constructor(private readonly deps: LedgerDeps) {
    this.wal = deps.log;
  }

  get state(): DurableState {
    return this.current;
  }
  get seq(): number {
    return this.lastSeq;
  }
  get log(): DurableLog {
    return this.wal;
  }

  /** Writes go to `log` from now on (the WAL once opened, a fresh one after emergency unlock). */
  /** Writes go to `log` from now on; returns the log they went to before. */
  useLog(log: DurableLog): DurableLog {
    const before = this.wal;
    this.wal = log;
    return before;
  }

  /**
   * Rebuilds the state from a WAL snapshot plus the records after it. All or nothing: a record that
   * cannot be decoded leaves the state as if nothing was replayed, and the error is thrown.
   */
  restore(result: ReplayResult) {
    this.current = result.snapshot ? importState(result.snapshot.state as ExportedState) : emptyState();
    this.lastSeq = result.snapshot?.seq ?? 0;
    let replayed = 0;
    const sink = this.deps.audit;
    // A data folder from before the audit log kept only the snapshot's window: that becomes its start.
    if (sink && sink.lastSeq === 0) for (const e of this.current.audit) sink.append({ ...plain(e), wal: e.seq });
    try {
      for (const { seq, record } of result.stream()) {
        const last = this.current.audit.at(-1);
        applyRecord(this.current, record as BrainRecord, seq);
        this.lastSeq = seq;
        replayed++;
        // An entry of a record the WAL made durable but the audit log never got (a crash between the two).
        const made = this.current.audit.at(-1);
        if (sink && made && made !== last && seq > sink.lastWal) sink.append({ ...plain(made), wal: seq });
      }
      if (sink) this.current.audit = sink.tail(AUDIT_KEEP).map(plain);
    } catch (e) {
      this.current = emptyState();
      this.lastSeq = 0;
      throw e;
    }
    this.lastSeq = Math.max(this.lastSeq, this.wal.lastSeq);
    // Records replayed after the snapshot count toward the next compaction, so frequent restarts
    // cannot grow replay past one snapshot plus about `compactEvery` records.
    this.sinceCompact = replayed;
  }

  /** The WAL cannot be read or written: PANIC ("Orchestrator Crash", engine null) with no record, since no record can be written. */
  panicWithoutRecord(cause: string) {
    this.current.panic = panicView('walCorrupt', cause, null, this.deps.clock.now());
  }

  write(records: BrainRecord[], patch?: Patch): Promise<number> {
    const { clock, logger, changes, compactEvery } = this.deps;
    const expected = this.lastSeq + records.length;
    const sink = this.deps.audit;
    let audited = false;
    let auditFailure: unknown = null;
    for (const r of records) {
      const last = this.current.audit.at(-1);
      applyRecord(this.current, r, ++this.lastSeq, r.t === 'accepted' ? patch : undefined);
      const made = this.current.audit.at(-1);
      if (!sink || !made || made === last || auditFailure) continue;
      try {
        // The window shows the entry under the seq it has for good in the audit log.
        made.seq = sink.append({ ...plain(made), wal: this.lastSeq }).seq;
        audited = true;
      } catch (e) {
        auditFailure = e;
      }
    }
    const walWrite =
      records.length === 1 ? this.wal.append(records[0] as unknown as WalRecord) : this.wal.appendMany(records as unknown as WalRecord[]);
    // Acknowledged only once the WAL record and its audit entry are both durable.
    const p = auditFailure
      ? walWrite.then(() => Promise.reject(auditFailure as Error))
      : audited && sink
        ? Promise.all([walWrite, sink.flushed()]).then(([seq]) => seq)
        : walWrite;
    this.sinceCompact += records.length;
    if (this.sinceCompact >= compactEvery) {
      this.sinceCompact = 0;
      const snap = exportState(this.current);
      this.lastSnapshot = p
        .then(() => {
          // writes become durable in order, but an audited one resolves with its audit flush: a later
          // snapshot may have been asked for first, and an older one is then not needed
          if (expected <= this.snapshotAskedAt) return;
          this.snapshotAskedAt = expected;
          return this.wal.snapshot(snap, expected);
        })
        .catch((e) => logger.error({ err: String(e) }, 'WAL snapshot failed'));
    }
    this.lastWrite = p.catch(() => {});
    return p.then(
      (seq) => {
        if (seq !== expected) logger.warn({ seq, expected }, 'WAL sequence differs from the brain count');
        return seq;
      },
      (e) => {
        logger.error({ err: String(e) }, 'WAL or audit log append failed');
        if (!this.current.panic) {
          this.current.panic = panicView('walCorrupt', `WAL or audit log append failed: ${String(e)}`, null, clock.now());
          changes.emitAll();
        }
        throw new VibeSyncError('INTERNAL', 'the write-ahead log failed; nothing was accepted');
      },
    );
  }

  /** Resolves once every record written so far is durable, and the latest snapshot asked for is written (or either failed). */
  whenDurable(): Promise<void> {
    return Promise.all([this.lastWrite, this.lastSnapshot]).then(() => {});
  }

  closeLog(): Promise<void> {
    return this.wal.close();
  }
}
