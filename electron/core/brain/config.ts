// The brain's timing and batching settings, with the defaults the orchestrator runs on.
export interface BrainConfig {
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  maxBatch: number;
  /** write a WAL snapshot (compaction) every this many records */
  compactEvery: number;
  quarantineMs: number;
  busyRetryMs: number;
  /** trust lost per rate-limit hit, and the level under which an engine is quarantined */
  rateLimitPenalty: number;
  /** trust lost per minor violation (a refused message that was the sender's fault, see MINOR_VIOLATIONS) */
  violationPenalty: number;
  quarantineBelowTrust: number;
  /** a transaction unanswered this long is a Target failure (the session is re-initialised) */
  txTimeoutMs: number;
  /** open sessions one token may hold at once (a `prefix*` token can name several engines) */
  maxSessionsPerToken: number;
  /** mutations queued for one target beyond which it is resynced from the scene instead of fed its backlog */
  maxTargetBacklog: number;
  /** proposals one agent may have waiting for review at once; more are refused with PENDING_LIMIT (which costs trust) */
  maxPendingPerAgent: number;
  /** live lane: a streaming source's latest values are made durable (settled) at least this often */
  liveSettleMs: number;
  /** live lane: and when its stream pauses this long */
  liveIdleMs: number;
  /** live lane: a target with more unsent bytes than this gets no new live frame; only the latest value per object waits */
  liveMaxBufferedBytes: number;
  /**
   * live lane: a settle reaches each target in transactions of at most this many objects. Each slice
   * is serialised, hashed and applied in one go on both ends while frames stream; 100 kept the
   * 1,000-object 60 Hz stream's p99 lower than 250 in 6 of 6 paired bench runs (`node --import
   * tsx bench/run.ts live-lane`).
   */
  liveSettleSlice: number;
}

export const DEFAULT_CONFIG: BrainConfig = {
  heartbeatMs: 2000,
  heartbeatTimeoutMs: 10_000,
  maxBatch: 2000,
  compactEvery: 10_000,
  quarantineMs: 60_000,
  busyRetryMs: 2000,
  rateLimitPenalty: 10,
  violationPenalty: 5,
  quarantineBelowTrust: 25,
  txTimeoutMs: 30_000,
  maxSessionsPerToken: 4,
  maxTargetBacklog: 32_000,
  maxPendingPerAgent: 100,
  liveSettleMs: 250,
  liveIdleMs: 100,
  liveMaxBufferedBytes: 1024 * 1024,
  liveSettleSlice: 100,
};

/**
 * Refusals that can only be the sender's fault cost it trust (Trust Depletion); the trust record is
 * the one thing such a refusal changes. Refusals an honest engine can meet by racing the brain's
 * own state (a target that just left, a purged transaction, a deleted object, PANIC, DIRTY /
 * LOCKED branches, an open breaker, quarantine) cost nothing.
 */
export const MINOR_VIOLATIONS: ReadonlySet<string> = new Set([
  'FORBIDDEN_ROLE',
  'RESOURCE_LIMIT',
  'SCHEMA_VIOLATION',
  'HASH_MISMATCH',
  'PID_CONFLICT',
  'PENDING_LIMIT',
]);
