// An engine's health, as failure-modes.md treats it: the heartbeat and its circuit breaker
// (Deadlock), trust penalties and quarantine (Trust Depletion, FORBIDDEN_PATH) with their
// automatic lifts, and terminal failures (PANIC: Generation Drift, Contract Violation, Security Breach).
import type { TimerHandle } from '../../../shared/clock.js';
import type { BrainContext, BrainTokens, HealthPort, TerminalOptions } from './context.js';
import { engineRecord } from './durable-state.js';
import { AGENT_SCOPED, FAILURE_CODE, FAILURES, panicView, type FailureKey } from './failures.js';
import type { BrainRecord, Subject } from './records.js';
import type { Session } from './session.js';

/** Close code for a session ended by a terminal failure. */
const CLOSE_PANIC = 4001;

type HealthContext = Pick<BrainContext, 'env' | 'ledger' | 'changes' | 'sessions'>;

export class Health implements HealthPort {
  private readonly lastPenaltyAt = new Map<string, number>();
  private readonly quarantineTimers = new Map<string, TimerHandle>();

  constructor(
    private readonly ctx: HealthContext,
    private readonly tokens: BrainTokens | undefined,
  ) {}

  // ---------- heartbeat and breaker (Deadlock) ----------

  /** Opens the breaker once an engine has been silent longer than heartbeatTimeoutMs (past any busy time it announced). */
  armHeartbeat(sess: Session) {
    const { clock, config } = this.ctx.env;
    const check = () => {
      if (this.ctx.sessions.get(sess.name) !== sess) return;
      // A BUSY / reloading announcement pauses the breaker until the time the engine said it needs.
      const since = Math.max(sess.lastSeenAt, sess.busyUntil);
      const silentFor = clock.now() - since;
      if (silentFor > config.heartbeatTimeoutMs) {
        sess.heartbeatTimer = null;
        const busy = since > sess.lastSeenAt ? `, ${silentFor} ms past the busy time it announced` : '';
        this.openBreaker(sess, `no message for ${clock.now() - sess.lastSeenAt} ms${busy} (limit ${config.heartbeatTimeoutMs} ms)`);
        return;
      }
      sess.heartbeatTimer = clock.setTimeout(check, config.heartbeatTimeoutMs - silentFor + 1);
    };
    sess.heartbeatTimer = clock.setTimeout(check, config.heartbeatTimeoutMs + 1);
  }

  /** Deadlock: the breaker opens and the engine's pipeline halts until a lead resets it; the engine is told why. */
  private openBreaker(sess: Session, cause: string) {
    const { env, ledger, changes } = this.ctx;
    sess.breakerOpen = true;
    ledger
      .write([
        {
          t: 'breaker',
          at: env.clock.now(),
          engine: sess.name,
          open: true,
          actor: sess.name,
          role: 'system',
          reason: `${FAILURES.deadlock.failure}: ${cause}`,
        },
      ])
      .then(
        () => {
          const message = `${cause}: the circuit breaker is open and your pipeline is halted until a lead resets it`;
          sess.peer.send('error', { code: FAILURE_CODE.deadlock!, message, ref: null, txId: sess.inflight?.txId ?? null });
        },
        () => {},
      );
    env.logger.warn({ engine: sess.name, cause }, 'circuit breaker open');
    changes.emit('engines');
    changes.emit('audit');
  }

  /** A lead reset the breaker: the pipeline runs again and heartbeat tracking restarts. */
  closeBreaker(sess: Session) {
    sess.breakerOpen = false;
    sess.lastSeenAt = this.ctx.env.clock.now();
    if (!sess.heartbeatTimer) this.armHeartbeat(sess);
  }

  // ---------- trust and quarantine ----------

  /**
   * Trust Depletion: lowers an engine's trust; under the floor it is QUARANTINED (read-only) until
   * the cool-off ends. The transport reports every dropped frame, so at most one penalty per engine
   * per second keeps a flood from turning into a flood of WAL records.
   */
  penalize(engine: string, penalty: number, reason: string): void {
    const { env, ledger, changes } = this.ctx;
    const { clock, config } = env;
    const last = this.lastPenaltyAt.get(engine);
    if (last !== undefined && clock.now() - last < 1000) return;
    this.lastPenaltyAt.set(engine, clock.now());
    const rec = engineRecord(ledger.state, engine);
    const trustAfter = rec.trust - penalty;
    const records: BrainRecord[] = [{ t: 'trust', at: clock.now(), engine, delta: -penalty, reason }];
    const quarantined = rec.quarantineUntil !== null && rec.quarantineUntil > clock.now();
    if (trustAfter < config.quarantineBelowTrust && !quarantined) {
      const until = clock.now() + config.quarantineMs;
      records.push({
        t: 'quarantine',
        at: clock.now(),
        engine,
        until,
        reason: `Trust Depletion: trust ${Math.max(0, trustAfter)} after repeated violations (last: ${reason})`,
      });
    }
    ledger.write(records).catch(() => {});
    if (records.length > 1) this.scheduleQuarantineLift(engine, clock.now() + config.quarantineMs);
    changes.emit('engines');
    changes.emit('audit');
  }

  quarantine(engine: string, reason: string) {
    const { env, ledger, changes } = this.ctx;
    const until = env.clock.now() + env.config.quarantineMs;
    ledger.write([{ t: 'quarantine', at: env.clock.now(), engine, until, reason }]).catch(() => {});
    this.scheduleQuarantineLift(engine, until);
    changes.emit('engines');
    changes.emit('audit');
  }

  /** After replay: every quarantine still in the state is lifted when its cool-off ends. */
  resumeQuarantines() {
    for (const e of this.ctx.ledger.state.engines.values())
      if (e.quarantineUntil !== null) this.scheduleQuarantineLift(e.name, e.quarantineUntil);
  }

  private scheduleQuarantineLift(engine: string, until: number) {
    const { env, ledger, changes } = this.ctx;
    const { clock } = env;
    const old = this.quarantineTimers.get(engine);
    if (old) clock.clearTimeout(old);
    this.quarantineTimers.set(
      engine,
      clock.setTimeout(
        () => {
          this.quarantineTimers.delete(engine);
          const rec = ledger.state.engines.get(engine);
          if (!rec || rec.quarantineUntil === null) return;
          ledger.write([{ t: 'quarantine_lifted', at: clock.now(), engine }]).catch(() => {});
          changes.emit('engines');
          changes.emit('audit');
        },
        Math.max(0, until - clock.now()),
      ),
    );
  }

  // ---------- terminal failures (PANIC) ----------

  /** Generation Drift: the engine's hierarchy (what it originated, plus its in-flight subjects) is LOCKED. */
  generationDrift(sess: Session, gen: number, ref: string) {
    const lock: Subject[] = [];
    // An AI agent holds no scene of its own: its drift is agent-scoped (AGENT_SCOPED), nothing is locked.
    const agentOnly = sess.peer.roles.every((r) => r === 'agent');
    if (!agentOnly) {
      for (const [id, owner] of this.ctx.ledger.state.scene.origin) if (owner === sess.name) lock.push(['object', id]);
      for (const item of sess.inflight?.items ?? []) if (item.kind === 'mutation') lock.push([item.step.kind, item.step.id]);
    }
    const detail = `envelope generation ${gen}, handshaken generation ${sess.peer.generation}: a reloaded engine must handshake again`;
    this.terminal('generationDrift', sess, detail, { lock, ref });
  }

  /**
   * Records a terminal failure (PANIC) and acts on it as failure-modes.md §1 says. The engine is
   * sent the row's typed error (`ref`: the message that caused it) before its session is closed.
   * An AI agent's Security Breach or Contract Violation is scoped to that agent (AGENT_SCOPED): it is
   * quarantined, its token revoked and every session on that token closed at once, while the
   * orchestrator keeps syncing engines. Resolves once the panic record is durable.
   */
  terminal(key: FailureKey, sess: Session, detail: string, opts: TerminalOptions = {}): Promise<void> {
    const { env, ledger, changes, sessions } = this.ctx;
    const at = env.clock.now();
    const code = FAILURE_CODE[key];
    const cause = code ? `${code}: ${detail}` : detail;
    const scope = key in AGENT_SCOPED && sess.peer.roles.every((r) => r === 'agent') ? 'agent' : 'orchestrator';
    const agent = scope === 'agent';
    const quarantineUntil = opts.quarantine || agent ? at + env.config.quarantineMs : null;
    const durable = ledger
      .write([{ t: 'panic', at, view: panicView(key, cause, sess.name, at, scope), lock: opts.lock ?? [], quarantineUntil }])
      .then(
        () => {},
        () => {},
      );
    if (opts.revoke || agent) this.tokens?.revoke(sess.peer.tokenId);
    env.logger.error({ engine: sess.name, failure: FAILURES[key].failure, cause, scope }, 'PANIC');
    if (code)
      sess.peer.send('error', { code, message: `${FAILURES[key].failure}: ${detail}`.slice(0, 2000), ref: opts.ref ?? null, txId: null });
    opts.lastWords?.();
    if (agent) {
      // The revoked token may hold other sessions (a `prefix*` token): none of them may go on.
      for (const s of [...sessions.values()]) if (s.peer.tokenId === sess.peer.tokenId) s.peer.close(CLOSE_PANIC, FAILURES[key].failure);
    } else if (opts.close !== false) sess.peer.close(CLOSE_PANIC, FAILURES[key].failure);
    changes.emitAll();
    return durable;
  }

  /** Stops the quarantine timers (the brain is closing). */
  close() {
    for (const t of this.quarantineTimers.values()) this.ctx.env.clock.clearTimeout(t);
    this.quarantineTimers.clear();
  }
}
