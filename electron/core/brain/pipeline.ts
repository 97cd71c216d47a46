// The life of a mutation after validation: one WAL record per message, ack once durable, then per
// target a FIFO queue with at most one transaction in flight, checked against the expected
// post-import hash → commit, or rollback + DIRTY + snapshot_request. Snapshots and resyncs too.
import { VibeSyncError, type BodyOf, type AdapterMessage, type Mutation } from '../../../shared/protocol/index.js';
import type { Brain } from './brain.js';
import { checkBranches } from './branch-checks.js';
import type { BrainRecord, Subject } from './records.js';
import { checkSceneLimits, isEmptyScene, planMutations, toScene, txStateOf, type Step } from './scene-model.js';
import { classifyDrift } from './drift.js';
import { transientDelay } from './retry-policy.js';
import { foldTransforms, subjectKey } from './coalesce.js';
import type { QueueItem, Session, Transaction } from './session.js';

/** Close code for a target whose session must be re-initialised (Target failure). */
export const CLOSE_TARGET_FAILURE = 4002;

type Body<T extends AdapterMessage['type']> = BodyOf<AdapterMessage, T>;

/** A source's `mutation` / `batch`: semantic checks, WAL, ack, then queue to every named target. */
export async function acceptMutations(b: Brain, sess: Session, ref: string, mutations: Mutation[]) {
  if (!sess.has('source')) throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} did not handshake as a source`);
  b.assertMayWrite(sess);
  b.checkRoutes(mutations, sess.name);
  checkBranches(b.state, mutations);
  const patch = planMutations(b.state.scene, mutations, b.limits);
  const durable = b.write([{ t: 'accepted', at: b.clock.now(), engine: sess.name, ref, mutations, pid: null }], patch);
  sess.count(mutations.length, b.clock.now());
  b.emit('engines');
  const seq = await durable;
  sess.peer.send('ack', { ref, seq, count: mutations.length });
  enqueue(b, mutations, patch.steps, sess.name, null);
}

/** Queues accepted mutations to their targets; `steps[i]` is mutation i's effect on the brain's model. */
export function enqueue(
  b: Brain,
  mutations: readonly Mutation[],
  steps: readonly Step[],
  source: string,
  pid: string | null,
  skip?: string,
) {
  const touched = new Set<Session>();
  mutations.forEach((mutation, i) => {
    for (const t of mutation.targets) {
      const target = b.sessions.get(t);
      if (!target || t === skip) continue;
      target.queue.push({ kind: 'mutation', mutation, step: steps[i]!, source, pid });
      touched.add(target);
      if (pid) b.inProgress.get(pid)?.remaining.add(t);
    }
  });
  for (const t of touched) pump(b, t);
}

export function enqueueScript(b: Brain, target: Session, pid: string, code: string, touches: string[]) {
  target.queue.push({ kind: 'script', pid, code, touches });
  b.inProgress.get(pid)?.remaining.add(target.name);
  pump(b, target);
}

/** One transaction scans at most maxBatch × this many queued mutations: with one mutation per subject per frame, a lag of up to 8 frames catches up in one. */
const MAX_FRAMES_FOLDED = 8;

/** Starts the next transaction on an idle target: everything queued from one source, up to maxBatch subjects. */
export function pump(b: Brain, target: Session) {
  if (target.inflight || target.queue.length === 0) return;
  if (!target.dispatchable(b.state.engines.get(target.name), b.clock.now())) return;
  const head = target.queue[0]!;
  const txId = b.newTxId();
  if (head.kind === 'script') {
    target.queue.shift();
    target.inflight = { txId, items: [head], wire: [], source: 'script', expected: null, phase: 'hash', outcome: null, retries: 0 };
    sendTx(b, target, target.inflight);
    return;
  }
  // Up to maxBatch subjects from one source; a lagging live stream's repeated transforms of them
  // fold into one each (coalesce.ts), so a target that fell behind catches up instead of
  // replaying every frame. One splice per transaction: shifting item by item is a memmove of
  // the whole backlog each, quadratic once the queue grows to tens of thousands.
  const subjects = new Set<string>();
  const scanLimit = Math.min(b.config.maxBatch * MAX_FRAMES_FOLDED, target.queue.length);
  let n = 0;
  for (; n < scanLimit; n++) {
    const next = target.queue[n]!;
    if (next.kind !== 'mutation' || next.source !== head.source) break;
    const key = subjectKey(next.mutation);
    if (!subjects.has(key) && subjects.size === b.config.maxBatch) break;
    subjects.add(key);
  }
  const items = target.queue.splice(0, n) as Array<Extract<QueueItem, { kind: 'mutation' }>>;
  const expected = b.hashing.txHash(txStateOf(items.map((i) => i.step)));
  const wire = foldTransforms(
    items.map((i) => i.mutation),
    (i) => items[i]!.pid === null,
  );
  target.inflight = { txId, items, wire, source: head.source, expected, phase: 'hash', outcome: null, retries: 0 };
  sendTx(b, target, target.inflight);
}

/** Sends (or re-sends, after a transient error) a transaction and starts its timeout. */
function sendTx(b: Brain, target: Session, tx: Transaction) {
  const head = tx.items[0]!;
  if (head.kind === 'script')
    target.peer.send('script_run', { txId: tx.txId, pid: head.pid, language: 'python', code: head.code, touches: head.touches });
  else target.peer.send('tx_begin', { txId: tx.txId, source: tx.source, mutations: tx.wire });
  armTxTimer(b, target, tx);
}

/**
 * A transaction has a deadline of its own: a target that takes it and never answers is a Target
 * failure. An open breaker (Deadlock) is a person's call, so the timer leaves it alone; a busy
 * engine gets the time it announced.
 */
function armTxTimer(b: Brain, target: Session, tx: Transaction, ms = b.config.txTimeoutMs) {
  clearTxTimer(b, target);
  target.txTimer = b.clock.setTimeout(() => {
    target.txTimer = null;
    if (target.inflight !== tx || target.breakerOpen) return;
    if (target.busy && target.busyUntil > b.clock.now())
      return armTxTimer(b, target, tx, target.busyUntil - b.clock.now() + b.config.txTimeoutMs);
    targetFailure(b, target, `no answer to transaction ${tx.txId} within ${b.config.txTimeoutMs} ms`);
  }, ms);
}

export function clearTxTimer(b: Brain, target: Session) {
  if (target.txTimer) {
    b.clock.clearTimeout(target.txTimer);
    target.txTimer = null;
  }
}

/**
 * Target failure (failure-modes.md §3): the handshake is revoked by closing the session, so the
 * engine must re-initialise; `onSessionGone` then broadcasts the rollback to the source.
 */
export function targetFailure(b: Brain, target: Session, reason: string) {
  b.logger.warn({ engine: target.name, reason }, 'Target failure: session closed');
  target.peer.close(CLOSE_TARGET_FAILURE, `Target failure: ${reason}`.slice(0, 120));
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

export async function onTxHash(b: Brain, sess: Session, body: Body<'tx_hash'>) {
  const tx = inflightFor(sess, body.txId, 'hash');
  if (tx.expected === null) throw new VibeSyncError('UNKNOWN_TX', `transaction ${tx.txId} is a script run: answer script_result`);
  tx.phase = 'done';
  if (body.hash === tx.expected) {
    tx.outcome = 'committed';
    // The mutations were durable before they were queued; if this record is lost in a crash the
    // target is resynced from the replayed scene on reconnect, so the commit need not wait for it.
    b.write([{ t: 'tx_commit', at: b.clock.now(), target: sess.name, txId: tx.txId, subjects: subjectsOf(tx) }]).catch(() => {});
    sess.peer.send('tx_commit', { txId: tx.txId });
  } else {
    tx.outcome = 'rolled_back';
    await rollback(b, sess, tx, `Hash Mismatch: expected ${tx.expected.slice(0, 12)}…, engine reported ${body.hash.slice(0, 12)}…`, () =>
      sess.peer.send('tx_rollback', { txId: tx.txId, reason: 'post-import hash does not match the orchestrator' }),
    );
  }
}

/**
 * Marks the transaction's subjects DIRTY and asks each one's source for a fresh snapshot; the brain
 * never "fixes" data. Once the record is durable, `tellTarget` runs first (the target's tx_rollback):
 * when the source and the target are one engine (Blender), its snapshot must not include the sandbox.
 */
async function rollback(b: Brain, target: Session, tx: Transaction, reason: string, tellTarget?: () => void) {
  const subjects = subjectsOf(tx);
  const awaiting: Record<string, string> = {};
  const bySource = new Map<string, string[]>();
  for (const [kind, id] of subjects) {
    const src = (kind === 'object' ? b.state.scene.origin.get(id) : undefined) ?? tx.source;
    awaiting[`${kind}/${id}`] = src;
    const list = bySource.get(src) ?? [];
    list.push(id);
    bySource.set(src, list);
  }
  for (const item of tx.items) if (item.pid) failProposal(b, item.pid, reason);
  b.emit('objects');
  b.emit('audit');
  await b.write([{ t: 'tx_rollback', at: b.clock.now(), target: target.name, txId: tx.txId, subjects, reason, awaiting }]);
  tellTarget?.();
  for (const [src, ids] of bySource) {
    const s = b.sessions.get(src);
    b.awaitingSnapshot.add(src);
    s?.peer.send('snapshot_request', { reason: `re-snapshot needed: ${reason}`.slice(0, 500), objectIds: ids.slice(0, 10_000) });
  }
}

export async function onTxDone(b: Brain, sess: Session, body: Body<'tx_done'>) {
  const tx = inflightFor(sess, body.txId, 'done');
  sess.inflight = null;
  clearTxTimer(b, sess);
  if (tx.outcome === 'committed' && body.outcome === 'committed') {
    for (const item of tx.items) if (item.pid) progressProposal(b, item.pid, sess.name);
  }
  pump(b, sess);
}

/** An approved script's effect as the executing engine reports it: it must touch only the declared ids. */
export async function onScriptResult(b: Brain, sess: Session, body: Body<'script_result'>) {
  const tx = inflightFor(sess, body.txId, 'hash');
  const item = tx.items[0];
  if (!item || item.kind !== 'script') throw new VibeSyncError('UNKNOWN_TX', `transaction ${tx.txId} is not a script run`);
  tx.phase = 'done';
  const fail = async (reason: string) => {
    tx.outcome = 'rolled_back';
    failProposal(b, item.pid, reason);
    sess.peer.send('tx_rollback', { txId: tx.txId, reason: reason.slice(0, 500) });
  };
  const allowed = new Set(item.touches);
  const stray = body.mutations.find((m) => {
    const id =
      m.op === 'set_material' ? m.materialId : m.op === 'upsert_material' ? m.material.id : m.op === 'create' ? m.object.id : m.objectId;
    return !allowed.has(id);
  });
  if (stray) {
    const agent = b.state.proposals.get(item.pid)?.view.agent;
    if (agent) b.quarantine(agent, `FORBIDDEN_PATH: script ${item.pid} changed something it did not declare`);
    return fail(`FORBIDDEN_PATH: the script changed something it did not declare (mutation ${stray.mid})`);
  }
  let patch;
  try {
    checkBranches(b.state, body.mutations);
    patch = planMutations(b.state.scene, body.mutations, b.limits);
  } catch (e) {
    return fail(e instanceof VibeSyncError ? e.message : String(e));
  }
  tx.outcome = 'committed';
  if (body.mutations.length > 0) {
    await b.write([{ t: 'accepted', at: b.clock.now(), engine: sess.name, ref: tx.txId, mutations: body.mutations, pid: item.pid }], patch);
  }
  sess.peer.send('tx_commit', { txId: tx.txId });
  progressProposal(b, item.pid, sess.name);
  // What the script did on one engine reaches the other named targets as ordinary transactions.
  if (body.mutations.length > 0) enqueue(b, body.mutations, patch.steps, sess.name, null, sess.name);
}

export function progressProposal(b: Brain, pid: string, target: string) {
  const p = b.inProgress.get(pid);
  if (!p) return;
  p.remaining.delete(target);
  if (p.remaining.size > 0) return;
  b.inProgress.delete(pid);
  const rec: BrainRecord = {
    t: 'proposal_closed',
    at: b.clock.now(),
    pid,
    status: p.failed ? 'failed' : 'applied',
    reason: p.failed ?? 'applied on every target',
  };
  b.write([rec]).then(
    () => {
      b.sessions.get(p.agent)?.peer.send('proposal_status', {
        pid,
        status: p.failed ? 'failed' : 'applied',
        reason: rec.t === 'proposal_closed' ? rec.reason.slice(0, 2000) : '',
      });
    },
    () => {},
  );
  b.emit('pending');
  b.emit('objects');
}

function failProposal(b: Brain, pid: string, reason: string) {
  const p = b.inProgress.get(pid);
  if (!p) return;
  b.inProgress.delete(pid);
  b.write([{ t: 'proposal_closed', at: b.clock.now(), pid, status: 'failed', reason: reason.slice(0, 2000) }]).then(
    () => {
      b.sessions.get(p.agent)?.peer.send('proposal_status', { pid, status: 'failed', reason: reason.slice(0, 2000) });
    },
    () => {},
  );
  b.emit('pending');
  b.emit('audit');
}

// ---------- snapshots and resync ----------

/**
 * The first snapshot becomes the scene; a snapshot the brain asked for replaces that engine's
 * hierarchy (clearing DIRTY) and targets are resynced. Any other snapshot that contradicts the
 * brain's scene gets the engine resynced from the orchestrator's scene (Brain > Limb).
 */
export async function onSnapshot(b: Brain, sess: Session, body: Body<'snapshot'>) {
  if (b.hashing.sceneHash(body.scene) !== body.hash) {
    throw new VibeSyncError('HASH_MISMATCH', 'the snapshot hash does not match its own scene');
  }
  const adopt =
    sess.has('source') &&
    (!b.state.sceneAdopted ||
      isEmptyScene(b.state.scene) ||
      b.awaitingSnapshot.has(sess.name) ||
      [...b.state.ids.entries.values()].some((e) => e.dirty?.engine === sess.name));
  if (adopt) {
    b.assertMayWrite(sess);
    checkSceneLimits(body.scene, b.limits);
    b.awaitingSnapshot.delete(sess.name);
    const why = b.state.sceneAdopted ? `re-snapshot from ${sess.name}` : `initial scene from ${sess.name}`;
    await b.write([{ t: 'scene', at: b.clock.now(), engine: sess.name, reason: body.reason, scene: body.scene }]);
    b.emitAll();
    for (const t of b.sessions.values()) if (t.has('target') && t !== sess) resync(b, t, why);
    return;
  }
  if (!b.state.sceneAdopted) return; // a target reporting its scene before any source: nothing to compare with
  const mine = toScene(b.state.scene);
  // Equal hashes: any numeric drift is below the quantisation step and the canonical form absorbs it.
  if (body.hash === b.hashing.sceneHash(mine)) return;
  const report = classifyDrift(mine, body.scene);
  const worst = report.worst ?? 'structural';
  const awaiting: Record<string, string | null> = {};
  for (const i of report.items) if (i.drift === 'semantic') awaiting[`${i.kind}/${i.id}`] = sourceOf(b, i.kind, i.id);
  const drift: BrainRecord = {
    t: 'drift',
    at: b.clock.now(),
    engine: sess.name,
    worst,
    items: report.items.slice(0, 200),
    total: report.items.length,
    awaiting,
  };
  if (worst === 'semantic') {
    // Meaning differs (materials, colour space, units): the brain cannot tell which side is right.
    await b.write([drift]);
    b.emit('objects');
    b.emit('audit');
    return;
  }
  await b.write([
    drift,
    {
      t: 'resync',
      at: b.clock.now(),
      engine: sess.name,
      actor: 'orchestrator',
      role: 'system',
      reason: `${sess.name}'s ${body.reason} snapshot contradicts the orchestrator (${worst} drift)`,
    },
  ]);
  resync(b, sess, 'your snapshot contradicts the orchestrator (Brain > Limb)');
  b.emit('audit');
}

/** The engine a subject's truth comes from: an object's origin; a material's, through an object using it. */
function sourceOf(b: Brain, kind: 'object' | 'material', id: string): string | null {
  if (kind === 'object') return b.state.scene.origin.get(id) ?? null;
  for (const o of b.state.scene.objects.values()) if (o.materials.includes(id)) return b.state.scene.origin.get(o.id) ?? null;
  return null;
}

/** Sends the orchestrator's scene; queued and in-flight work for that engine is superseded by it. */
export function resync(b: Brain, sess: Session, reason: string) {
  if (sess.inflight) sess.peer.send('tx_purge', { txId: sess.inflight.txId, reason: 'superseded by a resync' });
  for (const item of [...sess.queue, ...(sess.inflight?.items ?? [])]) if (item.pid) progressProposal(b, item.pid, sess.name);
  sess.inflight = null;
  clearTxTimer(b, sess);
  sess.queue.length = 0;
  const scene = toScene(b.state.scene);
  sess.peer.send('resync', { reason: reason.slice(0, 500), scene, hash: b.hashing.sceneHash(scene) });
}

// ---------- engine conditions ----------

/**
 * Engine Busy: the queue is held, and the breaker paused, for the time the engine announced; then
 * the brain tries again (no sooner than the 2 s back-off). An earlier `ready` releases it at once.
 */
export function onBusy(b: Brain, sess: Session, body: Body<'busy'>) {
  holdBusy(b, sess, Math.max(body.expectedMs, b.config.busyRetryMs));
}

function holdBusy(b: Brain, sess: Session, ms: number) {
  sess.busy = true;
  sess.busyUntil = b.clock.now() + ms;
  if (sess.busyTimer) b.clock.clearTimeout(sess.busyTimer);
  sess.busyTimer = b.clock.setTimeout(() => {
    sess.busyTimer = null;
    onReady(b, sess);
  }, ms);
  b.emit('engines');
}

export function onReady(b: Brain, sess: Session) {
  sess.busy = false;
  if (sess.busyTimer) {
    b.clock.clearTimeout(sess.busyTimer);
    sess.busyTimer = null;
  }
  b.emit('engines');
  pump(b, sess);
}

/**
 * An adapter's own error. SOURCE_FAILED from a source is the Source failure row (its export died);
 * about a transaction: busy → retry after the back-off, transient → retry with back-off, anything
 * else fails the transaction.
 */
export async function onPeerError(b: Brain, sess: Session, body: Body<'error'>) {
  b.logger.warn({ engine: sess.name, code: body.code, message: body.message }, 'adapter reported an error');
  if (body.code === 'SOURCE_FAILED' && sess.has('source'))
    return sourceFailure(b, sess, `SOURCE_FAILED reported by ${sess.name}: ${body.message}`);
  const tx = sess.inflight;
  if (!tx || body.txId !== tx.txId) return;
  if (body.code === 'ENGINE_BUSY') {
    sess.inflight = null;
    clearTxTimer(b, sess);
    sess.queue.unshift(...tx.items);
    holdBusy(b, sess, b.config.busyRetryMs);
    return;
  }
  if (body.code === 'TRANSIENT' && tx.phase === 'hash') {
    const delay = transientDelay(tx.retries, b.random);
    if (delay === null) return targetFailure(b, sess, `transient errors on transaction ${tx.txId} persisted after ${tx.retries} retries`);
    tx.retries++;
    clearTxTimer(b, sess);
    b.logger.info({ engine: sess.name, txId: tx.txId, retry: tx.retries, delay }, 'transient error: retrying the transaction');
    b.clock.setTimeout(() => {
      if (sess.inflight === tx && !sess.peer.closed) sendTx(b, sess, tx);
    }, delay);
    return;
  }
  sess.inflight = null;
  clearTxTimer(b, sess);
  const head = tx.items[0];
  if (head?.kind === 'script') {
    const agent = b.state.proposals.get(head.pid)?.view.agent;
    failProposal(b, head.pid, `${body.code}: ${body.message}`);
    // A permanent error (FORBIDDEN_PATH) quarantines whoever is responsible at once.
    if (body.code === 'FORBIDDEN_PATH' && agent)
      b.quarantine(agent, `FORBIDDEN_PATH reported by ${sess.name}: ${body.message}`.slice(0, 500));
  } else {
    await rollback(b, sess, tx, `${body.code} on ${sess.name}: ${body.message}`);
    if (body.code === 'FORBIDDEN_PATH') b.quarantine(tx.source, `FORBIDDEN_PATH reported by ${sess.name}: ${body.message}`.slice(0, 500));
  }
  pump(b, sess);
}

/**
 * A session ended. Target failure: its in-flight transaction's source gets a rollback broadcast
 * and the subjects go DIRTY. Source failure: see `sourceFailure`.
 */
export function onSessionGone(b: Brain, sess: Session, reason: string) {
  const tx = sess.inflight;
  if (tx && tx.outcome !== 'committed' && tx.items[0]?.kind === 'mutation') {
    b.sessions.get(tx.source)?.peer.send('rollback_broadcast', { txId: tx.txId, reason: reason.slice(0, 500) });
    void rollback(b, sess, tx, `Target failure: ${reason}`).catch(() => {});
  } else if (tx && tx.items[0]?.kind === 'script') failProposal(b, tx.items[0].pid, `Target failure: ${reason}`);
  for (const item of sess.queue) if (item.pid) failProposal(b, item.pid, `Target failure: ${reason}`);
  if (sess.has('source')) sourceFailure(b, sess, reason);
}

/** Replaces a target's queue in place (no argument spread: a backlog can outgrow the call stack). */
function replaceQueue(t: Session, items: QueueItem[]) {
  t.queue.length = 0;
  for (const i of items) t.queue.push(i);
}

/**
 * Source failure (a source died, or reported SOURCE_FAILED): targets purge that source's open
 * transactions and its queued, not yet applied mutations are dropped, their subjects DIRTY until
 * it re-snapshots (a connected source is asked at once).
 */
function sourceFailure(b: Brain, sess: Session, reason: string) {
  for (const t of b.sessions.values()) {
    const fromSource = (i: QueueItem) => i.kind === 'mutation' && i.source === sess.name;
    const dropped = t.queue.filter(fromSource);
    const live = t.inflight && t.inflight.source === sess.name && t.inflight.outcome === null ? t.inflight : null;
    if (!dropped.length && !live) continue;
    if (live) {
      t.peer.send('tx_purge', { txId: live.txId, reason: `Source failure: ${reason}`.slice(0, 500) });
      live.phase = 'done';
    }
    const lost: Transaction = {
      txId: live?.txId ?? b.newTxId(),
      items: [...(live?.items ?? []), ...dropped],
      wire: [],
      source: sess.name,
      expected: null,
      phase: 'done',
      outcome: 'rolled_back',
      retries: 0,
    };
    replaceQueue(
      t,
      t.queue.filter((i) => !fromSource(i)),
    );
    void rollback(b, t, lost, `Source failure: ${reason}`).catch(() => {});
  }
}
