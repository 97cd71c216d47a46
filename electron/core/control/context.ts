// What the control side needs from the brain: the state the panel reads, the records a person's
// action writes, and the few brain operations those actions start. The Brain satisfies it; nothing
// in brain/ imports the control side.
import type { Clock } from '../../../shared/clock.js';
import type { AuditSink, BrainTokens, ChangeKind, OrchestratorMode, Sessions } from '../brain/context.js';
import type { DurableState } from '../brain/durable-state.js';
import type { Approver } from '../brain/proposals.js';
import type { BrainRecord } from '../brain/records.js';
import type { Session } from '../brain/session.js';

/** What the panel's read model (views.ts) reads. */
export interface PanelSource {
  readonly mode: OrchestratorMode;
  readonly state: DurableState;
  readonly sessions: Sessions;
  readonly walRecordsReplayed: number;
  readonly startedAt: number;
  readonly clock: Clock;
}

export interface ControlContext extends PanelSource {
  readonly tokens: BrainTokens | undefined;
  /** the whole audit log on disk; null: only the state's recent window is searched */
  readonly audit: AuditSink | null;
  onChange(listener: (kind: ChangeKind) => void): () => void;
  /** Applies and appends records; resolves once they are durable (ledger.ts). */
  write(records: BrainRecord[]): Promise<number>;
  emit(kind: ChangeKind): void;
  emitAll(): void;
  approve(actor: Approver, pids: string[], reason: string): Promise<{ approved: string[]; missing: string[]; changed?: string[] }>;
  reject(actor: Approver, pids: string[], reason: string): Promise<{ rejected: string[]; missing: string[] }>;
  /** Sends the orchestrator's scene to the engine; its queued and in-flight work is superseded. */
  resync(sess: Session, reason: string): void;
  /** Asks the engine for a snapshot; the next one it sends is adopted. */
  requestSnapshot(sess: Session, reason: string, objectIds: string[] | null): void;
  /** The breaker is closed and heartbeat tracking restarts. */
  closeBreaker(sess: Session): void;
  /** An unreadable WAL is set aside and writes go to a fresh log. */
  recoverLog(): Promise<void>;
}
