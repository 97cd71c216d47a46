// The seams between the brain's parts. Each part (ledger, health, transactions, snapshots, engine
// conditions, failover, proposals) is written against these interfaces, never against Brain or
// another part's class: the parts import none of each other, and brain.ts alone wires them.
import type { Hashing } from '../../../shared/canonical/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { AuditEntry, ControlInput, ControlResults, ScanFinding } from '../../../shared/ipc/index.js';
import type { Mutation } from '../../../shared/protocol/index.js';
import type { PeerSession } from '../transport/types.js';
import type { BrainConfig } from './config.js';
import type { DurableState } from './durable-state.js';
import type { FailureKey } from './failures.js';
import type { BrainRecord, Subject } from './records.js';
import type { Patch, ResourceLimits, Step } from './scene-model.js';
import type { Session, Transaction } from './session.js';

// ---------- what the brain needs from outside ----------

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the brain needs from the token store (electron/core/auth/tokens.ts satisfies it). */
export interface BrainTokens {
  revoke(tokenId: string): void;
  /** Revokes the engine's tokens and issues a fresh one; returns the secret, shown once. */
  reset(name: string): { token: string };
}

/** The AI-script scanner (electron/core/security/scanner.ts). */
export interface ScriptScanner {
  scan(code: string): ScanFinding[];
}

/**
 * Where every audit entry goes for good (electron/core/audit/store.ts satisfies it): the brain keeps
 * only a recent window in its state; the whole chained log is on disk, searched from there.
 */
export interface AuditSink {
  /** `wal` of the newest stored entry: on replay, entries of records up to it are already stored */
  readonly lastWal: number;
  readonly lastSeq: number;
  /** Stores the entry (chained, its seq final); durable once `flushed()` resolves. Throws if the log failed. */
  append(e: Omit<AuditEntry, 'seq'> & { wal: number }): AuditEntry;
  flushed(): Promise<void>;
  /** the newest `n` entries, oldest first (startup: the window) */
  tail(n: number): AuditEntry[];
  search(q: ControlInput<'queryAudit'>): Promise<ControlResults['queryAudit']>;
}

// ---------- what every part reads ----------

/** The settings and services every part reads; none of them changes after the brain starts. */
export interface BrainEnv {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: BrainConfig;
  readonly limits: ResourceLimits;
  readonly hashing: Hashing;
  /** jitter source for retry back-offs (tests pin it) */
  readonly random: () => number;
  /** content-addressed blobs (meshes, textures); absent: this brain keeps none */
  readonly blobs?: BlobPort;
}

/** What the brain's parts need of the blob service (electron/core/blobs/service.ts). */
export interface BlobPort {
  /** sends the peer, as binary frames, each of these blobs it has not had on this connection */
  sendTo(peer: PeerSession, hashes: Iterable<string>): void;
}

export type OrchestratorMode = 'RUNNING' | 'REPLAYING' | 'PANIC';

export type ChangeKind = 'orchestrator' | 'engines' | 'pending' | 'objects' | 'audit';

/** Tells the panel which part of its view changed (the control service batches these). */
export interface Changes {
  emit(kind: ChangeKind): void;
  emitAll(): void;
}

/** The durable state, and the one way to change it. */
export interface Ledger {
  readonly state: DurableState;
  /** the last WAL sequence number applied to `state` */
  readonly seq: number;
  /**
   * Applies records to the state now (so the next message sees them) and resolves with the last
   * sequence number once they are durable. Peers must only be told after this resolves.
   */
  write(records: BrainRecord[], patch?: Patch): Promise<number>;
  /** Orchestrator-wide PANIC with no record (the log or the scene it holds cannot be trusted to take one). */
  panicWithoutRecord(cause: string): void;
}

/** The live sessions by engine name; only the brain's BrainPort adds and removes them. */
export type Sessions = ReadonlyMap<string, Session>;

// ---------- what the parts ask of each other ----------

/** The transaction path: per-target FIFO queues with one transaction in flight (transactions.ts). */
export interface TransactionPort {
  /** Queues accepted mutations to their targets; `steps[i]` is mutation i's effect on the brain's model. */
  enqueue(mutations: readonly Mutation[], steps: readonly Step[], source: string, pid: string | null, skip?: string): void;
  /** Starts the next transaction on an idle, dispatchable target. */
  pump(target: Session): void;
  /** Sends (or re-sends, after a transient error) a transaction and starts its timeout. */
  send(target: Session, tx: Transaction): void;
  clearTimer(target: Session): void;
  /** Subjects DIRTY, their sources asked for a snapshot; `tellTarget` runs once the record is durable, before the requests. */
  rollback(target: Session, tx: Transaction, reason: string, tellTarget?: () => void): Promise<void>;
  /** Drops a target's queued and in-flight work: a resync supersedes it. */
  supersede(target: Session): void;
  newTxId(): string;
}

/** Snapshots and resyncs (snapshots.ts). */
export interface SnapshotPort {
  /** Sends the orchestrator's scene; queued and in-flight work for that engine is superseded by it. */
  resync(sess: Session, reason: string): void;
  /** Asks `engine` (through `peer`, when connected) for a snapshot; the next one it sends is adopted, not compared. */
  request(engine: string, peer: PeerSession | undefined, reason: string, objectIds: string[] | null): void;
}

/** The lifecycle of an approved proposal on its way to its targets (proposals.ts). */
export interface ProposalPort {
  /** Its work was queued to `target`: it is applied once every such target committed. */
  queued(pid: string, target: string): void;
  /** `target` committed its work (or was resynced past it). */
  progress(pid: string, target: string): void;
  fail(pid: string, reason: string): void;
}

export interface TerminalOptions {
  lock?: Subject[];
  revoke?: boolean;
  quarantine?: boolean;
  close?: boolean;
  ref?: string | null;
  /** sent to the peer after the typed error, before its session is closed (e.g. a proposal's final status) */
  lastWords?: () => void;
}

/** An engine's health: quarantine and terminal failures (health.ts). */
export interface HealthPort {
  /** Permanent errors (FORBIDDEN_PATH) quarantine the engine at once (failure-modes.md §3). */
  quarantine(engine: string, reason: string): void;
  /** Records a terminal failure (PANIC) and acts on it; resolves once the panic record is durable. */
  terminal(key: FailureKey, sess: Session, detail: string, opts?: TerminalOptions): Promise<void>;
}

/** Source and target failure (failover.ts). */
export interface FailoverPort {
  /** The target's session is closed, so it must re-initialise; its session's end broadcasts the rollback. */
  targetFailure(target: Session, reason: string): void;
  sourceFailure(source: Session, reason: string): void;
}

/** The live lane (live-lane.ts): what the transaction path asks and tells it. */
export interface LivePort {
  /** the `liveFrame` a transaction to `target` carries, when it holds a settle of live values */
  liveFrameFor(target: Session, tx: Transaction): number | undefined;
  /** these objects went DIRTY (a rollback): their live values are dropped */
  forget(ids: readonly string[]): void;
}

/** Everything a part may be given; each part takes the few members it needs (a Pick of this). */
export interface BrainContext {
  readonly env: BrainEnv;
  readonly ledger: Ledger;
  readonly changes: Changes;
  readonly sessions: Sessions;
  readonly transactions: TransactionPort;
  readonly snapshots: SnapshotPort;
  readonly proposals: ProposalPort;
  readonly health: HealthPort;
  readonly failover: FailoverPort;
  /** absent in tests that build a context by hand */
  readonly live?: LivePort;
}
