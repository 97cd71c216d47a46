// What an engine says about itself: busy (Engine Busy: the queue is held, the breaker paused),
// ready, and its own errors — SOURCE_FAILED from a source, ENGINE_BUSY / TRANSIENT about a
// transaction (retried), anything else failing the transaction it names.
import type { AdapterMessage, BodyOf } from '../../../shared/protocol/index.js';
import type { BrainContext } from './context.js';
import { transientDelay } from './retry-policy.js';
import type { Session } from './session.js';

type Body<T extends AdapterMessage['type']> = BodyOf<AdapterMessage, T>;
type ConditionsContext = Pick<BrainContext, 'env' | 'ledger' | 'changes' | 'transactions' | 'proposals' | 'health' | 'failover'>;

export class EngineConditions {
  constructor(private readonly ctx: ConditionsContext) {}

  /**
   * Engine Busy: the queue is held, and the breaker paused, for the time the engine announced; then
   * the brain tries again (no sooner than the 2 s back-off). An earlier `ready` releases it at once.
   */
  onBusy(sess: Session, body: Body<'busy'>) {
    this.holdBusy(sess, Math.max(body.expectedMs, this.ctx.env.config.busyRetryMs));
  }

  private holdBusy(sess: Session, ms: number) {
    const { clock } = this.ctx.env;
    sess.busy = true;
    sess.busyUntil = clock.now() + ms;
    if (sess.busyTimer) clock.clearTimeout(sess.busyTimer);
    sess.busyTimer = clock.setTimeout(() => {
      sess.busyTimer = null;
      this.onReady(sess);
    }, ms);
    this.ctx.changes.emit('engines');
  }

  onReady(sess: Session) {
    sess.busy = false;
    if (sess.busyTimer) {
      this.ctx.env.clock.clearTimeout(sess.busyTimer);
      sess.busyTimer = null;
    }
    this.ctx.changes.emit('engines');
    this.ctx.transactions.pump(sess);
  }

  /**
   * An adapter's own error. SOURCE_FAILED from a source is the Source failure row (its export died);
   * about a transaction: busy → retry after the back-off, transient → retry with back-off, anything
   * else fails the transaction.
   */
  async onPeerError(sess: Session, body: Body<'error'>) {
    const { env, transactions, health, failover } = this.ctx;
    env.logger.warn({ engine: sess.name, code: body.code, message: body.message }, 'adapter reported an error');
    if (body.code === 'SOURCE_FAILED' && sess.has('source'))
      return failover.sourceFailure(sess, `SOURCE_FAILED reported by ${sess.name}: ${body.message}`);
    if (body.code === 'TARGET_FAILED' && body.txId === null && sess.has('target')) {
      // After a resync (there is no transaction to roll back): the target holds less than the scene.
      // Shown on the engine (panel, /healthz) until its next resync; a lead may force one.
      sess.cannotHold = { message: body.message.slice(0, 500), at: env.clock.now() };
      this.ctx.changes.emit('engines');
      return;
    }
    const tx = sess.inflight;
    if (!tx || body.txId !== tx.txId) return;
    if (body.code === 'ENGINE_BUSY') {
      sess.inflight = null;
      transactions.clearTimer(sess);
      sess.queue.unshift(...tx.items);
      this.holdBusy(sess, env.config.busyRetryMs);
      return;
    }
    if (body.code === 'TRANSIENT' && tx.phase === 'hash') {
      const delay = transientDelay(tx.retries, env.random);
      if (delay === null)
        return failover.targetFailure(sess, `transient errors on transaction ${tx.txId} persisted after ${tx.retries} retries`);
      tx.retries++;
      transactions.clearTimer(sess);
      env.logger.info({ engine: sess.name, txId: tx.txId, retry: tx.retries, delay }, 'transient error: retrying the transaction');
      env.clock.setTimeout(() => {
        if (sess.inflight === tx && !sess.peer.closed) transactions.send(sess, tx);
      }, delay);
      return;
    }
    sess.inflight = null;
    transactions.clearTimer(sess);
    await transactions.rollback(sess, tx, `${body.code} on ${sess.name}: ${body.message}`);
    // A permanent error (FORBIDDEN_PATH) quarantines whoever is responsible at once.
    if (body.code === 'FORBIDDEN_PATH')
      health.quarantine(tx.source, `FORBIDDEN_PATH reported by ${sess.name}: ${body.message}`.slice(0, 500));
    transactions.pump(sess);
  }
}
