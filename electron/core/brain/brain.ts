// The Brain: every decision of the orchestrator. It implements the transport's BrainPort and routes
// each message to the part that owns its concept (context.ts names the seams between them); each
// decision is a WAL record (ledger.ts), and peers hear of it only once that record is durable.
import type { Clock } from '../../../shared/clock.js';
import { BINARY_KIND, VibeSyncError, nameAllowed, type AdapterMessage } from '../../../shared/protocol/index.js';
import type { DurableLog, ReplayResult } from '../wal/types.js';
import type { BrainPort, HandshakeInfo, PeerSession } from '../transport/types.js';
import type { BlobService } from '../blobs/service.js';
import { mutationBlobUses, mutationBlobs, sceneBlobUses, sceneBlobs, type BlobUse } from '../blobs/refs.js';
import { offloadedScene } from '../offload/offloaded-scene.js';
import { brainEnv, type BrainDeps } from './brain-deps.js';
import { ChangeFeed } from './changes.js';
import { DEFAULT_CONFIG, MINOR_VIOLATIONS, type BrainConfig } from './config.js';
import type { BrainContext, BrainEnv, BrainTokens, ChangeKind, OrchestratorMode, Sessions } from './context.js';
import type { AuditSink } from './context.js';
import { exportState, type DurableState, type ExportedState } from './durable-state.js';
import { EngineConditions } from './engine-conditions.js';
import { Failover } from './failover.js';
import { Health } from './health.js';
import { LiveLane } from './live-lane.js';
import { DurableLedger } from './ledger.js';
import { Proposals, type Approver } from './proposals.js';
import type { BrainRecord } from './records.js';
import { toScene } from './scene-model.js';
import { SceneRead } from './scene-read.js';
import { Session } from './session.js';
import { Snapshots } from './snapshots.js';
import { Transactions } from './transactions.js';

export class Brain implements BrainPort {
  readonly clock: Clock;
  readonly config: BrainConfig;
  readonly startedAt: number;
  readonly tokens: BrainTokens | undefined;
  /** the whole audit log, searched from disk; null when the brain runs without one */
  readonly audit: AuditSink | null;
  private readonly env: BrainEnv;
  private readonly live = new Map<string, Session>();
  private readonly feed = new ChangeFeed();
  private readonly ledger: DurableLedger;
  private readonly health: Health;
  private readonly transactions: Transactions;
  private readonly snapshots: Snapshots;
  private readonly proposals: Proposals;
  private readonly conditions: EngineConditions;
  private readonly failover: Failover;
  /** the live lane of streamed transforms (binary kind 2) */
  readonly liveLane: LiveLane;
  private readonly reopenLog: (() => Promise<DurableLog>) | undefined;
  private readonly blobs: BlobService | null;
  /** A brain is born REPLAYING: nothing is known until its log has been read. */
  private replayingNow = true;
  private replayed = 0;

  constructor(deps: BrainDeps) {
    const clock = deps.clock;
    this.clock = clock;
    this.config = { ...DEFAULT_CONFIG, ...deps.config };
    const made = brainEnv(deps, this.config, (peer, code, reason) =>
      this.health.penalize(peer.name, this.config.violationPenalty, `minor violation: ${code}: ${reason}`),
    );
    this.env = made.env;
    this.blobs = made.blobs;
    const logger = this.env.logger;
    this.tokens = deps.tokens;
    this.audit = deps.audit ?? null;
    this.reopenLog = deps.reopenLog;
    this.startedAt = clock.now();
    this.ledger = new DurableLedger({
      log: deps.log,
      clock,
      logger,
      changes: this.feed,
      compactEvery: this.config.compactEvery,
      audit: deps.audit,
    });
    // The parts call each other through the context; the getters resolve once all of them exist.
    const ctx: BrainContext = {
      env: this.env,
      ledger: this.ledger,
      changes: this.feed,
      sessions: this.live,
      get transactions() {
        return transactions;
      },
      get snapshots() {
        return snapshots;
      },
      get proposals() {
        return proposals;
      },
      get health() {
        return health;
      },
      get failover() {
        return failover;
      },
      get live() {
        return liveLane;
      },
    };
    const health = new Health(ctx, deps.tokens);
    const transactions = new Transactions(ctx, this.startedAt);
    const snapshots = new Snapshots(ctx);
    const proposals = new Proposals(ctx, deps.scanner, deps.sandbox);
    const failover = new Failover(ctx);
    const liveLane = new LiveLane(ctx, this.startedAt, (engine, reason) => health.penalize(engine, this.config.violationPenalty, reason));
    this.liveLane = liveLane;
    this.health = health;
    this.transactions = transactions;
    this.snapshots = snapshots;
    this.proposals = proposals;
    this.failover = failover;
    this.conditions = new EngineConditions(ctx);
  }

  // ---------- what the orchestrator, the panel and tests read ----------

  get state(): DurableState {
    return this.ledger.state;
  }
  get sessions(): Sessions {
    return this.live;
  }
  /** the brain's own count of WAL sequence numbers */
  get seq(): number {
    return this.ledger.seq;
  }
  get log(): DurableLog {
    return this.ledger.log;
  }
  get replaying(): boolean {
    return this.replayingNow;
  }
  get walRecordsReplayed(): number {
    return this.replayed;
  }
  get mode(): OrchestratorMode {
    if (this.replayingNow) return 'REPLAYING';
    return this.ledger.state.panic ? 'PANIC' : 'RUNNING';
  }
  /** engines asked for a snapshot: their next snapshot is adopted, not compared */
  get awaitingSnapshot(): ReadonlySet<string> {
    return this.snapshots.awaitingEngines;
  }

  exportState(): ExportedState {
    return exportState(this.ledger.state);
  }

  /** Resolves once every record written so far is durable (or failed). */
  whenDurable(): Promise<void> {
    return this.ledger.whenDurable();
  }

  /** The control service batches these into panel updates. */
  onChange(listener: (kind: ChangeKind) => void): () => void {
    return this.feed.onChange(listener);
  }

  // ---------- startup and shutdown (the orchestrator) ----------

  /** Rebuilds the durable state from `log`'s snapshot plus the records after it (REPLAYING meanwhile). */
  replay(log: DurableLog, result: ReplayResult) {
    this.ledger.useLog(log);
    this.replayingNow = true;
    this.feed.emit('orchestrator');
    // All or nothing: on a throw the ledger is left as if nothing was replayed, and the brain stays
    // REPLAYING (admitting no one) until the caller decides (startInPanic, then abandonLog).
    this.ledger.restore(result);
    this.replayed = result.count;
    this.health.resumeQuarantines();
    this.replayingNow = false;
    if (result.truncatedBytes > 0) this.env.logger.warn({ truncatedBytes: result.truncatedBytes }, 'WAL torn tail dropped');
    this.env.logger.info({ records: result.count, fromSnapshot: result.snapshot?.seq ?? null }, 'WAL replayed');
    this.feed.emitAll();
  }

  /** The WAL could not be read: close what was opened and run on `fallback` (a log that refuses writes). */
  async abandonLog(fallback: DurableLog) {
    this.replayingNow = false;
    await this.ledger.log.close().catch(() => {});
    this.ledger.useLog(fallback);
  }

  /** Writes go to `log` from now on; returns the old log, left as it is (tests simulate a crash with a dead one). */
  useLog(log: DurableLog): DurableLog {
    return this.ledger.useLog(log);
  }

  /** The WAL could not be opened: the brain still runs, in PANIC, so a person can see why. */
  startInPanic(cause: string) {
    this.ledger.panicWithoutRecord(cause);
    this.env.logger.error({ cause }, 'orchestrator PANIC: WAL cannot be replayed');
    this.feed.emitAll();
  }

  /** Stops timers and closes the log; sessions are closed by the transport. */
  async close() {
    await this.ledger.whenDurable();
    for (const s of this.live.values()) s.stopTimers(this.clock);
    this.liveLane.close();
    this.health.close();
    await this.ledger.closeLog();
  }

  // ---------- what people's actions reach (electron/core/control) ----------

  write(records: BrainRecord[]): Promise<number> {
    return this.ledger.write(records);
  }
  emit(kind: ChangeKind) {
    this.feed.emit(kind);
  }
  emitAll() {
    this.feed.emitAll();
  }
  approve(actor: Approver, pids: string[], reason: string) {
    return this.proposals.approve(actor, pids, reason);
  }
  reject(actor: Approver, pids: string[], reason: string) {
    return this.proposals.reject(actor, pids, reason);
  }
  resync(sess: Session, reason: string) {
    this.snapshots.resync(sess, reason);
  }
  requestSnapshot(sess: Session, reason: string, objectIds: string[] | null) {
    this.snapshots.request(sess.name, sess.peer, reason, objectIds);
  }
  closeBreaker(sess: Session) {
    this.health.closeBreaker(sess);
  }
  /**
   * Emergency unlock of an unreadable WAL: it is set aside and writes go to a fresh log. The broken
   * log's file is closed (not awaited: a failed disk may never answer), else every unlock would keep
   * a descriptor open for the life of the process.
   */
  async recoverLog() {
    if (!this.reopenLog) return;
    const broken = this.ledger.useLog(await this.reopenLog());
    broken.close().catch((e: unknown) => this.env.logger.warn({ err: String(e) }, 'the WAL set aside did not close cleanly'));
  }

  // ---------- BrainPort ----------

  admit(info: HandshakeInfo): void {
    const state = this.ledger.state;
    if (state.panic && state.panic.engine === null) throw new VibeSyncError('PANIC', `orchestrator in PANIC: ${state.panic.cause}`);
    const rec = state.engines.get(info.name);
    if (rec?.panic) throw new VibeSyncError('PANIC', `${info.name} is in PANIC (${rec.panic.failure}); a lead must reset its token`);
    if (!nameAllowed(info.tokenName, info.name))
      throw new VibeSyncError('AUTH_FAILED', `this token is bound to "${info.tokenName}" and cannot connect as "${info.name}"`);
    if (this.live.has(info.name)) throw new VibeSyncError('NAME_IN_USE', `an engine named ${info.name} is already connected`);
    let held = 0;
    for (const s of this.live.values()) if (s.peer.tokenId === info.tokenId) held++;
    if (held >= this.config.maxSessionsPerToken)
      throw new VibeSyncError(
        'RESOURCE_LIMIT',
        `this token already holds ${held} sessions (the limit is ${this.config.maxSessionsPerToken})`,
      );
    const agentOnly = info.roles.every((r) => r === 'agent');
    if (info.tokenRole === 'agent' ? !agentOnly : info.tokenRole !== 'adapter' || info.roles.includes('agent')) {
      throw new VibeSyncError('FORBIDDEN_ROLE', `a ${info.tokenRole} token cannot connect as ${info.roles.join('+')}`);
    }
  }

  /** What welcome grants out of the capabilities a handshake asked for (today: the live lane). */
  grants(info: HandshakeInfo): string[] {
    return LiveLane.grants(info.capabilities);
  }

  connected(peer: PeerSession): void {
    const sess = new Session(peer, this.clock.now());
    this.live.set(peer.name, sess);
    // Deadlock is reset by a lead ("Manual"), never by reconnecting: an open breaker stays open.
    if (this.ledger.state.engines.get(peer.name)?.breakerOpen) sess.breakerOpen = true;
    else this.health.armHeartbeat(sess);
    // A target starts from the orchestrator's scene, so its first transaction hashes against known state;
    // one that is also a source whose snapshot the brain will adopt is left alone (that snapshot becomes the scene).
    if (peer.roles.includes('target') && this.ledger.state.sceneAdopted && !this.snapshots.adopts(sess)) {
      this.snapshots.resync(sess, 'initial sync on connect');
      sess.connectResync = sess.has('source');
    }
    this.env.logger.info({ engine: peer.name, roles: peer.roles, generation: peer.generation }, 'session connected');
    this.feed.emit('engines');
  }

  heard(peer: PeerSession): void {
    const sess = this.live.get(peer.name);
    if (sess && sess.peer === peer) sess.lastSeenAt = this.clock.now();
  }

  async message(peer: PeerSession, msg: AdapterMessage): Promise<void> {
    const sess = this.live.get(peer.name);
    if (!sess || sess.peer !== peer) return;
    if (msg.gen !== peer.generation) {
      this.health.generationDrift(sess, msg.gen, msg.id);
      return;
    }
    const now = this.clock.now();
    sess.lastSeenAt = now;
    if (!sess.seen) {
      sess.seen = true;
      this.feed.emit('engines');
    }
    try {
      await this.dispatch(sess, msg);
    } catch (e) {
      const err = e instanceof VibeSyncError ? e : new VibeSyncError('INTERNAL', String(e));
      if (err.code === 'INTERNAL') this.env.logger.error({ engine: peer.name, err: String(e) }, 'internal error handling message');
      peer.send('error', { code: err.code, message: err.reason.slice(0, 2000), ref: msg.id, txId: null });
      if (MINOR_VIOLATIONS.has(err.code))
        this.health.penalize(peer.name, this.config.violationPenalty, `${err.code}: ${err.reason}`.slice(0, 500));
    }
  }

  private async dispatch(sess: Session, msg: AdapterMessage) {
    switch (msg.type) {
      case 'heartbeat':
        sess.lastHeartbeatAt = this.clock.now();
        sess.latencyMs = Math.max(0, this.clock.now() - msg.ts);
        return;
      case 'mutation':
        this.requireBlobs(mutationBlobUses([msg.body.mutation]));
        return this.transactions.accept(sess, msg.id, [msg.body.mutation]);
      case 'batch':
        this.requireBlobs(mutationBlobUses(msg.body.mutations));
        return this.transactions.accept(sess, msg.id, msg.body.mutations);
      case 'snapshot':
        if (!sess.has('source') && !sess.has('target'))
          throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} is not an engine: only a source or a target sends a snapshot`);
        // A snapshot decoded in the frame worker arrives without its scene; the worker listed its blobs.
        this.requireBlobs(offloadedScene(msg.body)?.blobUses ?? sceneBlobUses(msg.body.scene));
        return this.snapshots.onSnapshot(sess, msg.body);
      case 'blob_query':
        if (!this.blobs) throw new VibeSyncError('SCHEMA_VIOLATION', 'this orchestrator keeps no blobs');
        return this.blobs.onQuery(sess.peer, msg.body, msg.id);
      case 'tx_hash':
        return this.transactions.onTxHash(sess, msg.body);
      case 'tx_done':
        return this.transactions.onTxDone(sess, msg.body);
      case 'busy':
        return this.conditions.onBusy(sess, msg.body);
      case 'ready':
        return this.conditions.onReady(sess);
      case 'proposal':
        return this.proposals.onProposal(sess, msg.body, msg.id);
      case 'script_check':
        return this.proposals.check(sess, msg.body, msg.id);
      case 'scene_request':
        return new SceneRead({ ledger: this.ledger, sessions: this.live }).onRequest(sess, msg.body, msg.id);
      case 'error':
        return this.conditions.onPeerError(sess, msg.body);
      case 'handshake':
        throw new VibeSyncError('SCHEMA_VIOLATION', 'already handshaken');
    }
  }

  /** A message naming a mesh or texture blob the orchestrator does not hold, or not as what it holds, is refused before anything changes. */
  private requireBlobs(uses: readonly BlobUse[]) {
    if (uses.length === 0) return;
    if (!this.blobs)
      throw new VibeSyncError('SCHEMA_VIOLATION', 'this orchestrator keeps no blobs; send meshes and textures without "blob"');
    this.blobs.requireStored(uses);
  }

  binary(peer: PeerSession, frame: Uint8Array): void {
    const sess = this.live.get(peer.name);
    if (!sess || sess.peer !== peer) return;
    sess.lastSeenAt = this.clock.now();
    if (frame[0] === BINARY_KIND.live) return this.liveLane.onFrame(sess, frame);
    if (!this.blobs) throw new VibeSyncError('SCHEMA_VIOLATION', 'binary frames carry blobs, and this orchestrator keeps none');
    this.blobs.onFrame(peer, frame);
  }

  /** Blob files nothing references any more (scene, proposals) are deleted; returns how many. */
  collectBlobs(): number {
    if (!this.blobs || this.replayingNow) return 0;
    const keep = sceneBlobs(toScene(this.ledger.state.scene));
    for (const p of this.ledger.state.proposals.values()) if (p.mutation) mutationBlobs([p.mutation], keep);
    // A lagging target's queued or in-flight transaction may still name a mesh the scene has moved past.
    for (const sess of this.live.values()) {
      for (const item of sess.queue) mutationBlobs([item.mutation], keep);
      if (sess.inflight) mutationBlobs(sess.inflight.wire, keep);
    }
    return this.blobs.collect(keep);
  }

  protocolError(peer: PeerSession | null, error: VibeSyncError, raw: { bytes: number; type?: string | null }): void {
    if (!peer) {
      this.env.logger.warn({ code: error.code, bytes: raw.bytes }, 'protocol error before handshake');
      return;
    }
    const sess = this.live.get(peer.name);
    if (error.code === 'NON_FINITE') {
      // Numerical Error is recoverable: the transport already answered NON_FINITE and dropped the
      // frame; re-fetch the state of a source, whose scene produced the bad number.
      // A refused snapshot is not answered with another request: the engine would loop on the same
      // number. Its next snapshot (or a person's re-snapshot) is still adopted.
      this.env.logger.warn({ engine: peer.name, err: error.message }, 'Numerical Error: command dropped');
      if (raw.type === 'snapshot') return;
      if (peer.roles.includes('source'))
        this.snapshots.request(
          peer.name,
          peer,
          `a command carried NaN/Infinity or a number the canonical form cannot hold, and was dropped: ${error.reason}`,
          null,
        );
      return;
    }
    // The transport has already sent the peer this error; the cause names its code once.
    if (sess) this.health.terminal('contractViolation', sess, `${error.code}: ${error.reason}`, { revoke: true });
  }

  rateLimited(peer: PeerSession, why: 'rate' | 'flood' = 'rate'): void {
    // Trust Depletion counts both: frames over the rate limit, and a sustained flood of valid frames
    // that fills the connection's queue (its socket is paused). penalize() charges at most once a second.
    this.health.penalize(
      peer.name,
      this.config.rateLimitPenalty,
      why === 'rate' ? 'rate limit hit' : 'flood: its queue of valid frames was full and its socket paused',
    );
  }

  disconnected(peer: PeerSession, code: number, reason: string): void {
    this.blobs?.gone(peer);
    const sess = this.live.get(peer.name);
    if (!sess || sess.peer !== peer) return;
    this.live.delete(peer.name);
    sess.stopTimers(this.clock);
    this.liveLane.gone(sess);
    this.failover.onSessionGone(sess, sess.closedBecause ?? `${peer.name} disconnected (${code} ${reason})`);
    this.env.logger.info({ engine: peer.name, code, reason }, 'session disconnected');
    this.feed.emit('engines');
  }
}
