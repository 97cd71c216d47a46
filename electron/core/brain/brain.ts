// The Brain: every decision of the orchestrator. It implements the transport's BrainPort, applies
// each decision as a WAL record (see records.ts) and tells peers only once that record is durable.
// Pipeline, proposals, overrides and views live in their own modules and operate on this class.
import { createHash } from 'node:crypto';
import { makeHashing, type Hashing } from '../../../shared/canonical/index.js';
import type { ScanFinding } from '../../../shared/ipc/index.js';
import { VibeSyncError, type AdapterMessage, type Mutation } from '../../../shared/protocol/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { DurableLog, ReplayResult, WalRecord } from '../wal/types.js';
import type { BrainPort, HandshakeInfo, PeerSession } from '../transport/types.js';
import { engineRecord, emptyState, exportState, importState, type DurableState, type ExportedState } from './durable-state.js';
import { FAILURE_CODE, FAILURES, panicView, type FailureKey } from './failures.js';
import { applyRecord, type BrainRecord, type Subject } from './records.js';
import { DEFAULT_LIMITS, type Patch, type ResourceLimits } from './scene-model.js';
import { Session } from './session.js';
import * as pipeline from './pipeline.js';
import * as proposals from './proposals.js';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
const silent: Logger = { info() {}, warn() {}, error() {} };

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
};

/**
 * Refusals that can only be the sender's fault cost it trust (Trust Depletion); the trust record is
 * the one thing such a refusal changes. Refusals an honest engine can meet by racing the brain's
 * own state (a target that just left, a purged transaction, a deleted object, PANIC, DIRTY /
 * LOCKED branches, an open breaker, quarantine) cost nothing.
 */
export const MINOR_VIOLATIONS: ReadonlySet<string> = new Set(['FORBIDDEN_ROLE', 'RESOURCE_LIMIT', 'SCHEMA_VIOLATION', 'HASH_MISMATCH']);

export interface BrainDeps {
  log: DurableLog;
  clock: Clock;
  logger?: Logger;
  limits?: Partial<ResourceLimits>;
  config?: Partial<BrainConfig>;
  tokens?: BrainTokens;
  scanner?: ScriptScanner;
  /** jitter source for retry back-offs (tests pin it) */
  random?: () => number;
}

export type ChangeKind = 'orchestrator' | 'engines' | 'pending' | 'objects' | 'audit';
export type OrchestratorMode = 'RUNNING' | 'REPLAYING' | 'PANIC';

const CLOSE_PANIC = 4001;

export class Brain implements BrainPort {
  state: DurableState = emptyState();
  readonly sessions = new Map<string, Session>();
  readonly clock: Clock;
  log: DurableLog;
  readonly logger: Logger;
  readonly limits: ResourceLimits;
  readonly config: BrainConfig;
  readonly hashing: Hashing = makeHashing((text) => createHash('sha256').update(text).digest('hex'));
  tokens: BrainTokens | undefined;
  scanner: ScriptScanner | undefined;
  readonly random: () => number;
  replaying = false;
  walRecordsReplayed = 0;
  readonly startedAt: number;
  /** the brain's own count of WAL sequence numbers, so audit entries carry theirs synchronously */
  seq = 0;
  private sinceCompact = 0;
  private lastWrite: Promise<unknown> = Promise.resolve();
  private txCounter = 0;
  private readonly listeners = new Set<(kind: ChangeKind) => void>();
  private readonly lastPenaltyAt = new Map<string, number>();
  private readonly quarantineTimers = new Map<string, ReturnType<Clock['setTimeout']>>();
  /** approved proposals on their way: pid → targets still to commit */
  readonly inProgress = new Map<string, { agent: string; remaining: Set<string>; failed: string | null }>();
  /** engines asked for a snapshot: their next snapshot is adopted, not compared */
  readonly awaitingSnapshot = new Set<string>();
  /** set by the orchestrator: what emergency unlock does about an unreadable WAL */
  onEmergencyUnlock: (() => Promise<void>) | null = null;

  constructor(deps: BrainDeps) {
    this.clock = deps.clock;
    this.log = deps.log;
    this.logger = deps.logger ?? silent;
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.config = { ...DEFAULT_CONFIG, ...deps.config };
    this.tokens = deps.tokens;
    this.scanner = deps.scanner;
    this.random = deps.random ?? Math.random;
    this.startedAt = this.clock.now();
  }

  // ---------- startup ----------

  /** Rebuilds the durable state from a WAL snapshot plus the records after it (state REPLAYING meanwhile). */
  replay(result: ReplayResult) {
    this.replaying = true;
    this.emit('orchestrator');
    this.state = result.snapshot ? importState(result.snapshot.state as ExportedState) : emptyState();
    this.seq = result.snapshot?.seq ?? 0;
    try {
      for (const { seq, record } of result.stream()) {
        applyRecord(this.state, record as BrainRecord, seq);
        this.seq = seq;
      }
    } catch (e) {
      // All or nothing: a record that cannot be decoded leaves the brain as if nothing was replayed.
      this.state = emptyState();
      this.seq = 0;
      this.replaying = false;
      throw e;
    }
    this.seq = Math.max(this.seq, this.log.lastSeq);
    this.walRecordsReplayed = result.count;
    for (const e of this.state.engines.values()) if (e.quarantineUntil !== null) this.scheduleQuarantineLift(e.name, e.quarantineUntil);
    this.replaying = false;
    if (result.truncatedBytes > 0) this.logger.warn({ truncatedBytes: result.truncatedBytes }, 'WAL torn tail dropped');
    this.logger.info({ records: result.count, fromSnapshot: result.snapshot?.seq ?? null }, 'WAL replayed');
    this.emitAll();
  }

  /** The WAL could not be opened: the brain still runs, in PANIC, so a person can see why. */
  startInPanic(cause: string) {
    this.state.panic = panicView('walCorrupt', cause, null, this.clock.now());
    this.logger.error({ cause }, 'orchestrator PANIC: WAL unreadable');
    this.emitAll();
  }

  get mode(): OrchestratorMode {
    if (this.replaying) return 'REPLAYING';
    return this.state.panic ? 'PANIC' : 'RUNNING';
  }

  exportState(): ExportedState {
    return exportState(this.state);
  }

  /** Resolves once every record written so far is durable (or failed). */
  whenDurable(): Promise<void> {
    return this.lastWrite.then(() => {});
  }

  /** Stops timers and closes the log; sessions are closed by the transport. */
  async close() {
    await this.whenDurable();
    for (const s of this.sessions.values()) {
      if (s.heartbeatTimer) this.clock.clearTimeout(s.heartbeatTimer);
      if (s.busyTimer) this.clock.clearTimeout(s.busyTimer);
      if (s.txTimer) this.clock.clearTimeout(s.txTimer);
    }
    for (const t of this.quarantineTimers.values()) this.clock.clearTimeout(t);
    this.quarantineTimers.clear();
    await this.log.close();
  }

  // ---------- the write path ----------

  /**
   * Applies records to the state now (so the next message sees them) and resolves with the last
   * sequence number once they are durable. Peers must only be told after this resolves.
   */
  write(records: BrainRecord[], patch?: Patch): Promise<number> {
    const expected = this.seq + records.length;
    for (const r of records) applyRecord(this.state, r, ++this.seq, r.t === 'accepted' ? patch : undefined);
    const p =
      records.length === 1 ? this.log.append(records[0] as unknown as WalRecord) : this.log.appendMany(records as unknown as WalRecord[]);
    this.sinceCompact += records.length;
    if (this.sinceCompact >= this.config.compactEvery) {
      this.sinceCompact = 0;
      const snap = exportState(this.state);
      p.then(() => this.log.snapshot(snap, expected)).catch((e) => this.logger.error({ err: String(e) }, 'WAL snapshot failed'));
    }
    this.lastWrite = p.catch(() => {});
    return p.then(
      (seq) => {
        if (seq !== expected) this.logger.warn({ seq, expected }, 'WAL sequence differs from the brain count');
        return seq;
      },
      (e) => {
        this.logger.error({ err: String(e) }, 'WAL append failed');
        if (!this.state.panic) {
          this.state.panic = panicView('walCorrupt', `WAL append failed: ${String(e)}`, null, this.clock.now());
          this.emitAll();
        }
        throw new VibeSyncError('INTERNAL', 'the write-ahead log failed; nothing was accepted');
      },
    );
  }

  newTxId() {
    return `${this.startedAt.toString(36)}-${++this.txCounter}`;
  }

  // ---------- change notification (ControlService batches these) ----------

  onChange(listener: (kind: ChangeKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(kind: ChangeKind) {
    for (const l of this.listeners) l(kind);
  }
  emitAll() {
    for (const k of ['orchestrator', 'engines', 'pending', 'objects', 'audit'] as const) this.emit(k);
  }

  // ---------- BrainPort ----------

  admit(info: HandshakeInfo): void {
    if (this.state.panic && this.state.panic.engine === null)
      throw new VibeSyncError('PANIC', `orchestrator in PANIC: ${this.state.panic.cause}`);
    const rec = this.state.engines.get(info.name);
    if (rec?.panic) throw new VibeSyncError('PANIC', `${info.name} is in PANIC (${rec.panic.failure}); a lead must reset its token`);
    if (this.sessions.has(info.name)) throw new VibeSyncError('NAME_IN_USE', `an engine named ${info.name} is already connected`);
    const agentOnly = info.roles.every((r) => r === 'agent');
    if (info.tokenRole === 'agent' ? !agentOnly : info.tokenRole !== 'adapter' || info.roles.includes('agent')) {
      throw new VibeSyncError('FORBIDDEN_ROLE', `a ${info.tokenRole} token cannot connect as ${info.roles.join('+')}`);
    }
  }

  connected(peer: PeerSession): void {
    const sess = new Session(peer, this.clock.now());
    this.sessions.set(peer.name, sess);
    this.armHeartbeat(sess);
    // A target starts from the orchestrator's scene, so its first transaction hashes against known state.
    if (peer.roles.includes('target') && this.state.sceneAdopted) pipeline.resync(this, sess, 'initial sync on connect');
    this.logger.info({ engine: peer.name, roles: peer.roles, generation: peer.generation }, 'session connected');
    this.emit('engines');
  }

  async message(peer: PeerSession, msg: AdapterMessage): Promise<void> {
    const sess = this.sessions.get(peer.name);
    if (!sess || sess.peer !== peer) return;
    if (msg.gen !== peer.generation) {
      this.generationDrift(sess, msg.gen, msg.id);
      return;
    }
    const now = this.clock.now();
    sess.lastSeenAt = now;
    if (!sess.seen) {
      sess.seen = true;
      this.emit('engines');
    }
    try {
      await this.dispatch(sess, msg);
    } catch (e) {
      const err = e instanceof VibeSyncError ? e : new VibeSyncError('INTERNAL', String(e));
      if (err.code === 'INTERNAL') this.logger.error({ engine: peer.name, err: String(e) }, 'internal error handling message');
      peer.send('error', { code: err.code, message: err.reason.slice(0, 2000), ref: msg.id, txId: null });
      if (MINOR_VIOLATIONS.has(err.code)) this.penalize(peer.name, this.config.violationPenalty, `minor violation: ${err.code}`);
    }
  }

  private async dispatch(sess: Session, msg: AdapterMessage) {
    switch (msg.type) {
      case 'heartbeat':
        sess.lastHeartbeatAt = this.clock.now();
        sess.latencyMs = Math.max(0, this.clock.now() - msg.ts);
        return;
      case 'mutation':
        return pipeline.acceptMutations(this, sess, msg.id, [msg.body.mutation]);
      case 'batch':
        return pipeline.acceptMutations(this, sess, msg.id, msg.body.mutations);
      case 'snapshot':
        return pipeline.onSnapshot(this, sess, msg.body);
      case 'tx_hash':
        return pipeline.onTxHash(this, sess, msg.body);
      case 'tx_done':
        return pipeline.onTxDone(this, sess, msg.body);
      case 'script_result':
        return pipeline.onScriptResult(this, sess, msg.body);
      case 'busy':
        return pipeline.onBusy(this, sess, msg.body);
      case 'ready':
        return pipeline.onReady(this, sess);
      case 'proposal':
        return proposals.onProposal(this, sess, msg.body, msg.id);
      case 'error':
        return pipeline.onPeerError(this, sess, msg.body);
      case 'handshake':
        throw new VibeSyncError('SCHEMA_VIOLATION', 'already handshaken');
    }
  }

  protocolError(peer: PeerSession | null, error: VibeSyncError, raw: { bytes: number }): void {
    if (!peer) {
      this.logger.warn({ code: error.code, bytes: raw.bytes }, 'protocol error before handshake');
      return;
    }
    const sess = this.sessions.get(peer.name);
    if (error.code === 'NON_FINITE') {
      // Numerical Error is recoverable: the transport already answered NON_FINITE and dropped the
      // frame; re-fetch the state of a source, whose scene produced the bad number.
      this.logger.warn({ engine: peer.name, err: error.message }, 'Numerical Error: command dropped');
      if (peer.roles.includes('source')) {
        this.awaitingSnapshot.add(peer.name);
        peer.send('snapshot_request', { reason: 'a command carried NaN/Infinity and was dropped', objectIds: null });
      }
      return;
    }
    // The transport has already sent the peer this error; the cause names its code once.
    if (sess) this.terminal('contractViolation', sess, `${error.code}: ${error.reason}`, { revoke: true });
  }

  rateLimited(peer: PeerSession): void {
    this.penalize(peer.name, this.config.rateLimitPenalty, 'rate limit hit');
  }

  /**
   * Trust Depletion: lowers an engine's trust; under the floor it is QUARANTINED (read-only) until
   * the cool-off ends. The transport reports every dropped frame, so at most one penalty per engine
   * per second keeps a flood from turning into a flood of WAL records.
   */
  penalize(engine: string, penalty: number, reason: string): void {
    const last = this.lastPenaltyAt.get(engine);
    if (last !== undefined && this.clock.now() - last < 1000) return;
    this.lastPenaltyAt.set(engine, this.clock.now());
    const rec = engineRecord(this.state, engine);
    const trustAfter = rec.trust - penalty;
    const records: BrainRecord[] = [{ t: 'trust', at: this.clock.now(), engine, delta: -penalty, reason }];
    const quarantined = rec.quarantineUntil !== null && rec.quarantineUntil > this.clock.now();
    if (trustAfter < this.config.quarantineBelowTrust && !quarantined) {
      const until = this.clock.now() + this.config.quarantineMs;
      records.push({
        t: 'quarantine',
        at: this.clock.now(),
        engine,
        until,
        reason: `Trust Depletion: trust ${Math.max(0, trustAfter)} after repeated violations (last: ${reason})`,
      });
    }
    this.write(records).catch(() => {});
    if (records.length > 1) this.scheduleQuarantineLift(engine, this.clock.now() + this.config.quarantineMs);
    this.emit('engines');
    if (records.length > 1) this.emit('audit');
  }

  disconnected(peer: PeerSession, code: number, reason: string): void {
    const sess = this.sessions.get(peer.name);
    if (!sess || sess.peer !== peer) return;
    this.sessions.delete(peer.name);
    if (sess.heartbeatTimer) this.clock.clearTimeout(sess.heartbeatTimer);
    if (sess.busyTimer) this.clock.clearTimeout(sess.busyTimer);
    if (sess.txTimer) this.clock.clearTimeout(sess.txTimer);
    pipeline.onSessionGone(this, sess, `${peer.name} disconnected (${code} ${reason})`);
    this.logger.info({ engine: peer.name, code, reason }, 'session disconnected');
    this.emit('engines');
  }

  // ---------- heartbeat, quarantine ----------

  private armHeartbeat(sess: Session) {
    const check = () => {
      if (this.sessions.get(sess.name) !== sess) return;
      // A BUSY / reloading announcement pauses the breaker until the time the engine said it needs.
      const since = Math.max(sess.lastSeenAt, sess.busyUntil);
      const silentFor = this.clock.now() - since;
      if (silentFor > this.config.heartbeatTimeoutMs) {
        sess.heartbeatTimer = null;
        const busy = since > sess.lastSeenAt ? `, ${silentFor} ms past the busy time it announced` : '';
        this.openBreaker(
          sess,
          `no message for ${this.clock.now() - sess.lastSeenAt} ms${busy} (limit ${this.config.heartbeatTimeoutMs} ms)`,
        );
        return;
      }
      sess.heartbeatTimer = this.clock.setTimeout(check, this.config.heartbeatTimeoutMs - silentFor + 1);
    };
    sess.heartbeatTimer = this.clock.setTimeout(check, this.config.heartbeatTimeoutMs + 1);
  }

  /** Deadlock: the breaker opens and the engine's pipeline halts until a lead resets it; the engine is told why. */
  private openBreaker(sess: Session, cause: string) {
    sess.breakerOpen = true;
    this.write([
      {
        t: 'breaker',
        at: this.clock.now(),
        engine: sess.name,
        open: true,
        actor: sess.name,
        role: 'system',
        reason: `${FAILURES.deadlock.failure}: ${cause}`,
      },
    ]).then(
      () => {
        const message = `${cause}: the circuit breaker is open and your pipeline is halted until a lead resets it`;
        sess.peer.send('error', { code: FAILURE_CODE.deadlock!, message, ref: null, txId: sess.inflight?.txId ?? null });
      },
      () => {},
    );
    this.logger.warn({ engine: sess.name, cause }, 'circuit breaker open');
    this.emit('engines');
    this.emit('audit');
  }

  /** Restarts heartbeat tracking after a breaker reset. */
  rearm(sess: Session) {
    sess.lastSeenAt = this.clock.now();
    if (!sess.heartbeatTimer) this.armHeartbeat(sess);
  }

  /** Permanent errors (FORBIDDEN_PATH) quarantine the engine at once (failure-modes.md §3). */
  quarantine(engine: string, reason: string) {
    const until = this.clock.now() + this.config.quarantineMs;
    this.write([{ t: 'quarantine', at: this.clock.now(), engine, until, reason }]).catch(() => {});
    this.scheduleQuarantineLift(engine, until);
    this.emit('engines');
    this.emit('audit');
  }

  private scheduleQuarantineLift(engine: string, until: number) {
    const old = this.quarantineTimers.get(engine);
    if (old) this.clock.clearTimeout(old);
    this.quarantineTimers.set(
      engine,
      this.clock.setTimeout(
        () => {
          this.quarantineTimers.delete(engine);
          const rec = this.state.engines.get(engine);
          if (!rec || rec.quarantineUntil === null) return;
          this.write([{ t: 'quarantine_lifted', at: this.clock.now(), engine }]).catch(() => {});
          this.emit('engines');
          this.emit('audit');
        },
        Math.max(0, until - this.clock.now()),
      ),
    );
  }

  // ---------- terminal failures ----------

  private generationDrift(sess: Session, gen: number, ref: string) {
    const lock: Subject[] = [];
    for (const [id, owner] of this.state.scene.origin) if (owner === sess.name) lock.push(['object', id]);
    for (const item of sess.inflight?.items ?? []) if (item.kind === 'mutation') lock.push([item.step.kind, item.step.id]);
    const detail = `envelope generation ${gen}, handshaken generation ${sess.peer.generation}: a reloaded engine must handshake again`;
    this.terminal('generationDrift', sess, detail, { lock, ref });
  }

  /**
   * Records a terminal failure (PANIC) and acts on it as failure-modes.md §1 says. The engine is
   * sent the row's typed error (`ref`: the message that caused it) before its session is closed.
   * Resolves once the panic record is durable.
   */
  terminal(
    key: FailureKey,
    sess: Session,
    detail: string,
    opts: { lock?: Subject[]; revoke?: boolean; quarantine?: boolean; close?: boolean; ref?: string | null } = {},
  ): Promise<void> {
    const at = this.clock.now();
    const code = FAILURE_CODE[key];
    const cause = code ? `${code}: ${detail}` : detail;
    const quarantineUntil = opts.quarantine ? at + this.config.quarantineMs : null;
    const durable = this.write([
      { t: 'panic', at, view: panicView(key, cause, sess.name, at), lock: opts.lock ?? [], quarantineUntil },
    ]).then(
      () => {},
      () => {},
    );
    if (opts.revoke) this.tokens?.revoke(sess.peer.tokenId);
    this.logger.error({ engine: sess.name, failure: FAILURES[key].failure, cause }, 'PANIC');
    if (code)
      sess.peer.send('error', { code, message: `${FAILURES[key].failure}: ${detail}`.slice(0, 2000), ref: opts.ref ?? null, txId: null });
    if (opts.close !== false) sess.peer.close(CLOSE_PANIC, FAILURES[key].failure);
    this.emitAll();
    return durable;
  }

  // ---------- shared checks ----------

  /** A writer may change the scene only while the orchestrator is not in PANIC and it is not PANIC / quarantined. */
  assertMayWrite(sess: Session) {
    const rec = this.state.engines.get(sess.name);
    const st = sess.state(rec, this.clock.now());
    if (st === 'PANIC') throw new VibeSyncError('PANIC', `${sess.name} is in PANIC`);
    if (st === 'QUARANTINED')
      throw new VibeSyncError(
        'QUARANTINED',
        `${sess.name} is quarantined (read-only) until ${new Date(rec!.quarantineUntil!).toISOString()}`,
      );
    if (st === 'DEGRADED') throw new VibeSyncError('CIRCUIT_OPEN', `${sess.name}'s circuit breaker is open`);
    if (this.state.panic)
      throw new VibeSyncError('PANIC', `orchestrator in PANIC (${this.state.panic.failure}): nothing new is accepted until a person acts`);
  }

  /** Explicit routing: every target must be a live session with the target role, able to take transactions. */
  checkRoutes(mutations: readonly Mutation[], from: string) {
    const now = this.clock.now();
    for (const m of mutations) {
      for (const t of m.targets) {
        const s = this.sessions.get(t);
        if (!s || !s.has('target') || t === from)
          throw new VibeSyncError('UNKNOWN_TARGET', `mutation ${m.mid}: "${t}" is not a connected target`, { target: t });
        const st = s.state(this.state.engines.get(t), now);
        if (st === 'PANIC') throw new VibeSyncError('UNKNOWN_TARGET', `mutation ${m.mid}: target "${t}" is in PANIC`, { target: t });
        if (st === 'DEGRADED')
          throw new VibeSyncError('CIRCUIT_OPEN', `mutation ${m.mid}: target "${t}" has its circuit breaker open`, { target: t });
      }
    }
  }
}
