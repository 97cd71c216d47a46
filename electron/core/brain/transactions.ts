// The life of a mutation after validation: one WAL record per source message, ack once durable,
// then per target a FIFO queue with at most one transaction in flight, checked against the
// expected post-import hash → commit, or rollback + DIRTY + snapshot_request. An approved AI script
// arrives here as the mutations its sandbox run produced (proposals.ts): no code reaches an engine.
import { BLOBS_CAPABILITY, mutationBlobs, mutationsWithoutBlobFlags } from '../blobs/refs.js';
import { LIMITS, VibeSyncError, type AdapterMessage, type BodyOf, type Mutation } from '../../../shared/protocol/index.js';
import { checkBranches } from './branch-checks.js';
import { foldTransforms, subjectKey } from './coalesce.js';
import { LIVE_MID_PREFIX } from './live-mid.js';
import type { BrainContext, TransactionPort } from './context.js';
import type { Subject } from './records.js';
import { planMutations, txStateOf, type Step } from './scene-model.js';
import type { QueueItem, Session, Transaction } from './session.js';
import { assertMayWrite, checkRoutes } from './write-checks.js';

type Body<T extends AdapterMessage['type']> = BodyOf<AdapterMessage, T>;
type TransactionContext = Pick<
  BrainContext,
  'env' | 'ledger' | 'changes' | 'sessions' | 'proposals' | 'snapshots' | 'health' | 'failover' | 'live'
>;

/** One transaction scans at most maxBatch × this many queued mutations: with one mutation per subject per frame, a lag of up to 8 frames catches up in one. */
const MAX_FRAMES_FOLDED = 8;

export class Transactions implements TransactionPort {
  private txCounter = 0;

  constructor(
    private readonly ctx: TransactionContext,
    private readonly startedAt: number,
  ) {}

  newTxId() {
    return `${this.startedAt.toString(36)}-${++this.txCounter}`;
  }

  /** A source's `mutation` / `batch`: semantic checks, WAL, ack, then queue to every named target. */
  async accept(sess: Session, ref: string, mutations: Mutation[]) {
    const { env, ledger, changes, sessions } = this.ctx;
    if (!sess.has('source')) throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} did not handshake as a source`);
    assertMayWrite(ledger.state, sess, env.clock.now());
    checkRoutes(ledger.state, sessions, mutations, sess.name, env.clock.now());
    checkBranches(ledger.state, mutations);
    const patch = planMutations(ledger.state.scene, mutations, env.limits);
    const durable = ledger.write([{ t: 'accepted', at: env.clock.now(), engine: sess.name, ref, mutations, pid: null }], patch);
    sess.count(mutations.length, env.clock.now());
    changes.emit('engines');
    // the panel's not-synced list follows the objects that carry a mark (views.ts)
    if (mutations.some((m) => m.op === 'create' || m.op === 'delete' || (m.op === 'set_props' && m.props.notSynced !== undefined)))
      changes.emit('objects');
    const seq = await durable;
    sess.peer.send('ack', { ref, seq, count: mutations.length });
    this.enqueue(mutations, patch.steps, sess.name, null);
  }

  enqueue(mutations: readonly Mutation[], steps: readonly Step[], source: string, pid: string | null, skip?: string) {
    const touched = new Set<Session>();
    mutations.forEach((mutation, i) => {
      for (const t of mutation.targets) {
        const target = this.ctx.sessions.get(t);
        if (!target || t === skip) continue;
        target.queue.push({ kind: 'mutation', mutation, step: steps[i]!, source, pid });
        touched.add(target);
        if (pid) this.ctx.proposals.queued(pid, t);
      }
    });
    const { config } = this.ctx.env;
    for (const t of touched) {
      // A target too far behind is resynced from the scene, not fed its backlog: the latest state
      // wins, and no queue grows without bound (memory per target ≈ maxTargetBacklog queued items).
      if (t.queue.length > config.maxTargetBacklog && this.ctx.ledger.state.sceneAdopted) {
        this.ctx.env.logger.warn({ engine: t.name, queued: t.queue.length }, 'target too far behind: resynced from the scene');
        this.ctx.snapshots.resync(t, `more than ${config.maxTargetBacklog} changes waiting: resynced from the orchestrator's scene`);
        continue;
      }
      this.pump(t);
    }
  }

  /** Starts the next transaction on an idle target: everything queued from one source, up to maxBatch subjects. */
  pump(target: Session) {
    const { env, ledger } = this.ctx;
    if (target.inflight || target.queue.length === 0) return;
    if (!target.dispatchable(ledger.state.engines.get(target.name), env.clock.now())) return;
    const head = target.queue[0]!;
    const txId = this.newTxId();
    // A live settle goes in slices, so a target's frame loop is never blocked long by one (live-lane.ts).
    const maxSubjects = head.mutation.mid.startsWith(LIVE_MID_PREFIX) ? env.config.liveSettleSlice : env.config.maxBatch;
    // Up to maxBatch subjects from one source; a lagging live stream's repeated transforms of them
    // fold into one each (coalesce.ts), so a target that fell behind catches up instead of
    // replaying every frame. One splice per transaction: shifting item by item is a memmove of
    // the whole backlog each, quadratic once the queue grows to tens of thousands.
    const subjects = new Set<string>();
    const scanLimit = Math.min(env.config.maxBatch * MAX_FRAMES_FOLDED, target.queue.length);
    let n = 0;
    for (; n < scanLimit; n++) {
      const next = target.queue[n]!;
      if (next.kind !== 'mutation' || next.source !== head.source) break;
      const key = subjectKey(next.mutation);
      if (!subjects.has(key) && subjects.size === maxSubjects) break;
      subjects.add(key);
    }
    // What travels is what folding leaves; a tx_begin carries at most LIMITS.maxBatch mutations (the
    // schema's cap), so a run of changes that do not fold (set_props, set_material) is cut shorter.
    const fold = (k: number) => {
      const taken = target.queue.slice(0, k) as Array<Extract<QueueItem, { kind: 'mutation' }>>;
      return foldTransforms(
        taken.map((i) => i.mutation),
        (i) => taken[i]!.pid === null,
      );
    };
    let wire = fold(n);
    while (wire.length > LIMITS.maxBatch) {
      n = Math.max(1, Math.floor((n * LIMITS.maxBatch) / wire.length));
      wire = fold(n);
    }
    const items = target.queue.splice(0, n) as Array<Extract<QueueItem, { kind: 'mutation' }>>;
    const expected = env.hashing.txHash(txStateOf(items.map((i) => i.step)));
    target.inflight = { txId, items, wire, source: head.source, expected, phase: 'hash', outcome: null, retries: 0 };
    this.send(target, target.inflight);
  }

  send(target: Session, tx: Transaction) {
    // the bytes arrive before the tx that needs them; an engine without blobs gets the summaries alone
    const blobs = target.peer.capabilities.includes(BLOBS_CAPABILITY) ? this.ctx.env.blobs : undefined;
    blobs?.sendTo(target.peer, mutationBlobs(tx.wire));
    const liveFrame = this.ctx.live?.liveFrameFor(target, tx);
    target.peer.send('tx_begin', {
      txId: tx.txId,
      source: tx.source,
      mutations: blobs ? tx.wire : mutationsWithoutBlobFlags(tx.wire),
      ...(liveFrame !== undefined && { liveFrame }),
    });
    this.armTimer(target, tx);
  }

  /**
   * A transaction has a deadline of its own: a target that takes it and never answers is a Target
   * failure. An open breaker (Deadlock) is a person's call, so the timer leaves it alone; a busy
   * engine gets the time it announced.
   */
  private armTimer(target: Session, tx: Transaction, ms = this.ctx.env.config.txTimeoutMs) {
    const { clock, config } = this.ctx.env;
    this.clearTimer(target);
    target.txTimer = clock.setTimeout(() => {
      target.txTimer = null;
      if (target.inflight !== tx || target.breakerOpen) return;
      if (target.busy && target.busyUntil > clock.now())
        return this.armTimer(target, tx, target.busyUntil - clock.now() + config.txTimeoutMs);
      this.ctx.failover.targetFailure(target, `no answer to transaction ${tx.txId} within ${config.txTimeoutMs} ms`);
    }, ms);
  }

  clearTimer(target: Session) {
    if (target.txTimer) {
      this.ctx.env.clock.clearTimeout(target.txTimer);
      target.txTimer = null;
    }
  }

  async onTxHash(sess: Session, body: Body<'tx_hash'>) {
    if (lateReply(sess, body.txId)) return; // its tx_purge is on the way: the hash no longer counts
    const tx = inflightFor(sess, body.txId, 'hash');
    tx.phase = 'done';
    if (body.hash === tx.expected) {
      tx.outcome = 'committed';
      // The mutations were durable before they were queued; if this record is lost in a crash the
      // target is resynced from the replayed scene on reconnect, so the commit need not wait for it.
      this.ctx.ledger
        .write([{ t: 'tx_commit', at: this.ctx.env.clock.now(), target: sess.name, txId: tx.txId, subjects: subjectsOf(tx) }])
        .catch(() => {});
      sess.peer.send('tx_commit', { txId: tx.txId });
    } else {
      tx.outcome = 'rolled_back';
      await this.rollback(
        sess,
        tx,
        `Hash Mismatch: expected ${(tx.expected ?? '').slice(0, 12)}…, engine reported ${body.hash.slice(0, 12)}…`,
        () => sess.peer.send('tx_rollback', { txId: tx.txId, reason: 'post-import hash does not match the orchestrator' }),
      );
    }
  }

  /**
   * Marks the transaction's subjects DIRTY and asks each one's source for a fresh snapshot; the brain
   * never "fixes" data. Once the record is durable, `tellTarget` runs first (the target's tx_rollback):
   * when the source and the target are one engine (Blender), its snapshot must not include the sandbox.
   */
  async rollback(target: Session, tx: Transaction, reason: string, tellTarget?: () => void) {
    const { env, ledger, changes, sessions, proposals, snapshots } = this.ctx;
    const subjects = subjectsOf(tx);
    const awaiting: Record<string, string> = {};
    const bySource = new Map<string, string[]>();
    for (const [kind, id] of subjects) {
      const src = (kind === 'object' ? ledger.state.scene.origin.get(id) : undefined) ?? tx.source;
      awaiting[`${kind}/${id}`] = src;
      const list = bySource.get(src) ?? [];
      list.push(id);
      bySource.set(src, list);
    }
    for (const item of tx.items) if (item.pid) proposals.fail(item.pid, reason);
    this.ctx.live?.forget(subjects.filter(([kind]) => kind === 'object').map(([, id]) => id));
    changes.emit('objects');
    changes.emit('audit');
    await ledger.write([{ t: 'tx_rollback', at: env.clock.now(), target: target.name, txId: tx.txId, subjects, reason, awaiting }]);
    tellTarget?.();
    for (const [src, ids] of bySource) {
      snapshots.request(src, sessions.get(src)?.peer, `re-snapshot needed: ${reason}`.slice(0, 500), ids.slice(0, 10_000));
    }
  }

  async onTxDone(sess: Session, body: Body<'tx_done'>) {
    if (lateReply(sess, body.txId)) {
      sess.superseded.delete(body.txId); // its last reply
      return;
    }
    const tx = inflightFor(sess, body.txId, 'done');
    sess.inflight = null;
    this.clearTimer(sess);
    if (tx.outcome === 'committed' && body.outcome === 'committed') {
      for (const item of tx.items) if (item.pid) this.ctx.proposals.progress(item.pid, sess.name);
    }
    this.pump(sess);
  }

  /**
   * A resync replaces whatever the target holds. A transaction still waiting for its hash is purged;
   * one already told to commit or roll back is not told anything else (a target must never get
   * tx_commit and then tx_purge for one txId). Either way its reply is expected and absorbed.
   */
  supersede(target: Session) {
    const open = target.inflight;
    if (open) {
      if (open.phase === 'hash') target.peer.send('tx_purge', { txId: open.txId, reason: 'superseded by a resync' });
      target.expectLateReply(open.txId);
    }
    for (const item of [...target.queue, ...(target.inflight?.items ?? [])])
      if (item.pid) this.ctx.proposals.progress(item.pid, target.name);
    target.inflight = null;
    this.clearTimer(target);
    target.queue.length = 0;
  }
}

/** A reply to a transaction a resync or a source failure purged (see `supersede`, failover.ts): expected, ignored. */
function lateReply(sess: Session, txId: string): boolean {
  return sess.superseded.has(txId) && sess.inflight?.txId !== txId;
}

function inflightFor(sess: Session, txId: string, phase: Transaction['phase']): Transaction {
  const tx = sess.inflight;
  if (!tx || tx.txId !== txId || tx.phase !== phase)
    throw new VibeSyncError('UNKNOWN_TX', `no transaction ${txId} waiting for ${phase === 'hash' ? 'a hash' : 'tx_done'} on ${sess.name}`);
  return tx;
}

function subjectsOf(tx: Transaction): Subject[] {
  const seen = new Map<string, Subject>();
  for (const i of tx.items) if (i.kind === 'mutation') seen.set(`${i.step.kind}/${i.step.id}`, [i.step.kind, i.step.id]);
  return [...seen.values()];
}
