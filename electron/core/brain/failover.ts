// Source and target failure (failure-modes.md §3): a session that ends, a source that reports its
// export died, a target that stops answering. What was in flight is rolled back (subjects DIRTY
// until their source re-snapshots); nothing acknowledged is lost, nothing unconfirmed is kept.
import type { BrainContext, FailoverPort } from './context.js';
import type { QueueItem, Session, Transaction } from './session.js';

/** Close code for a target whose session must be re-initialised (Target failure). */
export const CLOSE_TARGET_FAILURE = 4002;

type FailoverContext = Pick<BrainContext, 'env' | 'sessions' | 'transactions' | 'proposals'>;

export class Failover implements FailoverPort {
  constructor(private readonly ctx: FailoverContext) {}

  /**
   * Target failure: the handshake is revoked by closing the session, so the engine must
   * re-initialise; `onSessionGone` then broadcasts the rollback to the source, with this reason
   * (the close the peer echoes carries none of it). The transport ends a close the peer does not
   * complete within a second (peer-session.ts), so that follows at once either way.
   */
  targetFailure(target: Session, reason: string) {
    this.ctx.env.logger.warn({ engine: target.name, reason }, 'Target failure: session closed');
    target.closedBecause = `Target failure: ${reason}`;
    target.peer.close(CLOSE_TARGET_FAILURE, target.closedBecause.slice(0, 120));
  }

  /**
   * A session ended. Target failure: its in-flight transaction's source gets a rollback broadcast
   * and the subjects go DIRTY. Source failure: see `sourceFailure`.
   */
  onSessionGone(sess: Session, reason: string) {
    const { sessions, transactions, proposals } = this.ctx;
    const tx = sess.inflight;
    const why = reason.startsWith('Target failure: ') ? reason : `Target failure: ${reason}`;
    if (tx && tx.outcome !== 'committed' && tx.items[0]?.kind === 'mutation') {
      sessions.get(tx.source)?.peer.send('rollback_broadcast', { txId: tx.txId, reason: reason.slice(0, 500) });
      void transactions.rollback(sess, tx, why).catch(() => {});
    }
    for (const item of sess.queue) if (item.pid) proposals.fail(item.pid, why);
    if (sess.has('source')) this.sourceFailure(sess, reason);
  }

  /**
   * Source failure (a source died, or reported SOURCE_FAILED): targets purge that source's open
   * transactions and its queued, not yet applied mutations are dropped, their subjects DIRTY until
   * it re-snapshots (a connected source is asked at once).
   */
  sourceFailure(source: Session, reason: string) {
    const { sessions, transactions } = this.ctx;
    for (const t of sessions.values()) {
      const fromSource = (i: QueueItem) => i.kind === 'mutation' && i.source === source.name;
      const dropped = t.queue.filter(fromSource);
      const live = t.inflight && t.inflight.source === source.name && t.inflight.outcome === null ? t.inflight : null;
      if (!dropped.length && !live) continue;
      if (live) {
        t.peer.send('tx_purge', { txId: live.txId, reason: `Source failure: ${reason}`.slice(0, 500) });
        if (live.phase === 'hash') t.expectLateReply(live.txId); // its hash may cross the purge
        live.phase = 'done';
      }
      const lost: Transaction = {
        txId: live?.txId ?? transactions.newTxId(),
        items: [...(live?.items ?? []), ...dropped],
        wire: [],
        source: source.name,
        expected: null,
        phase: 'done',
        outcome: 'rolled_back',
        retries: 0,
      };
      replaceQueue(
        t,
        t.queue.filter((i) => !fromSource(i)),
      );
      void transactions.rollback(t, lost, `Source failure: ${reason}`).catch(() => {});
    }
  }
}

/** Replaces a target's queue in place (no argument spread: a backlog can outgrow the call stack). */
function replaceQueue(t: Session, items: QueueItem[]) {
  t.queue.length = 0;
  for (const i of items) t.queue.push(i);
}
