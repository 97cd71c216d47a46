// One live adapter / agent connection as the brain tracks it: heartbeat, busy, breaker, the
// target's FIFO queue and its single in-flight transaction. The visible state is derived, never stored.
import type { SessionState } from '../../../shared/ipc/index.js';
import type { Mutation } from '../../../shared/protocol/index.js';
import type { Clock, TimerHandle } from '../../../shared/clock.js';
import type { PeerSession } from '../transport/types.js';
import type { EngineRecord } from './durable-state.js';
import type { Step } from './scene-model.js';

export type QueueItem = { kind: 'mutation'; mutation: Mutation; step: Step; source: string; pid: string | null };

export interface Transaction {
  txId: string;
  items: QueueItem[];
  /** what tx_begin carries: the items' mutations with a lagging stream's transforms folded (coalesce.ts) */
  wire: Mutation[];
  source: string;
  /** expected post-import hash (null on a record of a transaction purged by a Source failure) */
  expected: string | null;
  /** hash: waiting for tx_hash; done: commit or rollback sent, waiting for tx_done */
  phase: 'hash' | 'done';
  outcome: 'committed' | 'rolled_back' | null;
  /** transient-error retries spent on this transaction */
  retries: number;
}

export class Session {
  lastSeenAt: number;
  lastHeartbeatAt: number | null = null;
  latencyMs: number | null = null;
  seen = false;
  busy = false;
  /** the time a busy engine said it would be back: the breaker is paused until then */
  busyUntil = 0;
  breakerOpen = false;
  /** why the orchestrator closed this session (a Target failure), kept for what follows its close */
  closedBecause: string | null = null;
  /** what this target reported it could not hold after its last resync (cleared by the next one) */
  cannotHold: { message: string; at: number } | null = null;
  heartbeatTimer: TimerHandle | null = null;
  busyTimer: TimerHandle | null = null;
  /** fires when the in-flight transaction has waited too long (a Target failure) */
  txTimer: TimerHandle | null = null;
  readonly queue: QueueItem[] = [];
  inflight: Transaction | null = null;
  /**
   * Transactions a resync superseded while the target still owed a reply (its tx_hash, or the
   * tx_done for a commit or rollback it was already told): the late reply is expected, not an
   * UNKNOWN_TX. Bounded: one entry per resync, the oldest dropped past 16.
   */
  readonly superseded = new Set<string>();

  /** A purged transaction's reply may still come (it crossed the tx_purge): expected, ignored. */
  expectLateReply(txId: string): void {
    this.superseded.add(txId);
    if (this.superseded.size > 16) this.superseded.delete(this.superseded.values().next().value!);
  }
  /**
   * A source and target was resynced on connect: the `initial` snapshot it sends on `welcome` was
   * taken before it applied that resync, so it is not compared (it would read as structural drift
   * and trigger a second resync).
   */
  connectResync = false;
  /** The ledger seq of the scene this engine was last resynced to (-1: never). */
  resyncedAtSeq = -1;
  /** mutations per whole second (clock ms / 1000), the last 60 */
  private readonly perSecond = new Map<number, number>();

  constructor(
    readonly peer: PeerSession,
    readonly connectedAt: number,
  ) {
    this.lastSeenAt = connectedAt;
  }

  get name() {
    return this.peer.name;
  }
  has(role: 'source' | 'target' | 'agent') {
    return this.peer.roles.includes(role);
  }

  state(rec: EngineRecord | undefined, now: number): SessionState {
    if (rec?.panic) return 'PANIC';
    if (rec?.quarantineUntil != null && rec.quarantineUntil > now) return 'QUARANTINED';
    if (this.breakerOpen) return 'DEGRADED';
    if (this.busy) return 'BUSY';
    return this.seen ? 'HEALTHY' : 'HANDSHAKEN';
  }

  /**
   * A target accepts transactions only while it is connected, healthy (or just handshaken, or only
   * quarantined: read-only for its own writes) and not halted: never while busy or its breaker is
   * open, which QUARANTINED would otherwise hide (state() names one state).
   */
  dispatchable(rec: EngineRecord | undefined, now: number): boolean {
    if (this.peer.closed || this.busy || this.breakerOpen) return false;
    const s = this.state(rec, now);
    return s === 'HEALTHY' || s === 'HANDSHAKEN' || s === 'QUARANTINED';
  }

  /** Stops the heartbeat, busy and transaction timers (the session ended, or the brain is closing). */
  stopTimers(clock: Clock) {
    if (this.heartbeatTimer) clock.clearTimeout(this.heartbeatTimer);
    if (this.busyTimer) clock.clearTimeout(this.busyTimer);
    if (this.txTimer) clock.clearTimeout(this.txTimer);
  }

  count(n: number, now: number) {
    const sec = Math.floor(now / 1000);
    this.perSecond.set(sec, (this.perSecond.get(sec) ?? 0) + n);
    if (this.perSecond.size > 70) for (const k of this.perSecond.keys()) if (k < sec - 60) this.perSecond.delete(k);
  }

  throughput(now: number): number[] {
    const sec = Math.floor(now / 1000);
    const first = Math.max(Math.floor(this.connectedAt / 1000), sec - 59);
    const out: number[] = [];
    for (let s = first; s <= sec; s++) out.push(this.perSecond.get(s) ?? 0);
    return out;
  }
}
