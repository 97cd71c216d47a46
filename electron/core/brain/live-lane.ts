// The live lane (docs/protocol.md "Live lane"): streamed transforms as binary kind-2 frames. A
// live frame is a preview, never acknowledged: validated like a `batch`, kept as the latest value
// per object (the overlay) and forwarded at once to every live-capable target, latest value wins.
// Durability and the hash check come from the settle: every `liveSettleMs` (and when a stream
// pauses for `liveIdleMs`) the source's latest values become one ordinary `accepted` record and
// transactions of at most `liveSettleSlice` objects to every target, and the source hears
// `live_settled`. A live target's tx_begin says (`liveFrame`) which of its live frames the settle
// is not newer than, so it keeps a newer live value: the stream is never held for a settle. Memory: one overlay entry
// per object and, per target, one pending value per object (docs/architecture.md "Memory bounds").
import {
  LIVE_CAPABILITY,
  LIVE_MAX_RECORDS,
  VibeSyncError,
  decodeLiveFrame,
  encodeLiveFrame,
  type LiveRecord,
  type Mutation,
  type Transform,
} from '../../../shared/protocol/index.js';
import { transformFits, transformRangeProblem } from '../../../shared/canonical/index.js';
import type { TimerHandle } from '../../../shared/clock.js';
import type { PeerSession } from '../transport/types.js';
import { checkBranches } from './branch-checks.js';
import { MINOR_VIOLATIONS } from './config.js';
import { LIVE_MID_PREFIX } from './live-mid.js';
import type { BrainContext, LivePort } from './context.js';
import { planMutations, type Patch } from './scene-model.js';
import type { Session, Transaction } from './session.js';
import { assertMayWrite } from './write-checks.js';

type LiveContext = Pick<BrainContext, 'env' | 'ledger' | 'changes' | 'sessions' | 'transactions' | 'snapshots'>;

/** The latest live value of one object, not yet settled. */
interface OverlayEntry {
  source: string;
  frame: number;
  transform: Transform;
}

/** One source's stream: its last frame number and its settle timers. */
interface Stream {
  peer: PeerSession;
  lastFrame: number;
  settleTimer: TimerHandle | null;
  idleTimer: TimerHandle | null;
  settling: boolean;
  /** a settle was due while one was being written: run another once it is done */
  again: boolean;
}

/**
 * What one live target has not been sent yet: the latest value per object, and the brain's frame
 * numbering for it (from 1: a `liveFrame` of 0 says no frame had been sent).
 */
interface Outbox {
  peer: PeerSession;
  nextFrame: number;
  pending: Map<string, LiveRecord>;
  timer: TimerHandle | null;
  /**
   * settle (its mid prefix) → the last live frame this target had been sent when the settle's
   * values were written: its tx_begin carries it as `liveFrame` (newest 64 kept)
   */
  settledAt: Map<string, number>;
}

/** The mid of a settle's mutation is `<prefix>.<k>`; its prefix names the settle. */
const settleOf = (mid: string) => (mid.startsWith(LIVE_MID_PREFIX) ? mid.slice(0, mid.lastIndexOf('.')) : null);

/** How often a held or backed-up outbox is looked at again. */
const RETRY_MS = 4;

export class LiveLane implements LivePort {
  private readonly overlay = new Map<string, OverlayEntry>();
  private readonly streams = new Map<string, Stream>();
  private readonly outboxes = new Map<Session, Outbox>();
  private settles = 0;

  constructor(
    private readonly ctx: LiveContext,
    private readonly startedAt: number,
    /** a refusal that is the sender's fault costs it trust (health.ts penalize) */
    private readonly penalize: (engine: string, reason: string) => void,
  ) {}

  /** Objects with a live value not yet durable (for tests and the panel). */
  get unsettled(): number {
    return this.overlay.size;
  }

  /** What a target has pending (for tests: memory stays bounded by the object count). */
  pendingFor(sess: Session): number {
    return this.outboxes.get(sess)?.pending.size ?? 0;
  }

  /** The capabilities the brain grants an engine that asks for them. */
  static grants(asked: readonly string[]): string[] {
    return asked.includes(LIVE_CAPABILITY) ? [LIVE_CAPABILITY] : [];
  }

  /**
   * One kind-2 frame from `sess`. A frame that is not a well-formed live frame throws
   * SCHEMA_VIOLATION (a Contract Violation, like any frame that is not a protocol message); a
   * well-formed one the brain refuses gets a typed `error` (`ref` = "live:<frame>") and changes nothing.
   */
  onFrame(sess: Session, bytes: Uint8Array): void {
    const f = decodeLiveFrame(bytes);
    const ref = `live:${f.frame}`;
    try {
      this.check(sess, f.frame, f.records);
    } catch (e) {
      return this.refuse(sess, ref, e);
    }
    let stream = this.streams.get(sess.name);
    if (!stream || stream.peer !== sess.peer) {
      if (stream) this.stopTimers(stream);
      stream = { peer: sess.peer, lastFrame: -1, settleTimer: null, idleTimer: null, settling: false, again: false };
      this.streams.set(sess.name, stream);
    }
    stream.lastFrame = f.frame;
    // the record itself is the transform (liveMutation copies its three fields at the settle)
    for (const r of f.records) this.overlay.set(r.id, { source: sess.name, frame: f.frame, transform: r });
    this.forward(sess, f.records, bytes);
    this.scheduleSettle(sess.name, stream);
  }

  private check(sess: Session, frame: number, records: readonly LiveRecord[]) {
    const { ledger, env } = this.ctx;
    const state = ledger.state;
    if (!sess.has('source')) throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} did not handshake as a source`);
    if (!sess.peer.capabilities.includes(LIVE_CAPABILITY))
      throw new VibeSyncError('SCHEMA_VIOLATION', `${sess.name} did not declare the "${LIVE_CAPABILITY}" capability in its handshake`);
    const stream = this.streams.get(sess.name);
    if (stream && stream.peer === sess.peer && frame <= stream.lastFrame)
      throw new VibeSyncError('SCHEMA_VIOLATION', `frame ${frame} is not after this connection's last frame ${stream.lastFrame}`);
    assertMayWrite(state, sess, env.clock.now());
    // the quick check first: a message (and its strings) is made only for a value that fails
    for (const r of records)
      if (!transformFits(r)) throw new VibeSyncError('NON_FINITE', transformRangeProblem(r, `live frame ${frame}: ${r.id}`)!);
    for (const r of records)
      if (!state.scene.objects.has(r.id)) throw new VibeSyncError('UNKNOWN_OBJECT', `live frame ${frame}: no object "${r.id}"`);
    if (state.ids.hasHeld())
      checkBranches(
        state,
        records.map((r) => liveMutation(r.id, `${frame}`, [], r)),
      );
  }

  private refuse(sess: Session, ref: string, e: unknown) {
    const { env, snapshots } = this.ctx;
    const err = e instanceof VibeSyncError ? e : new VibeSyncError('INTERNAL', String(e));
    if (err.code === 'INTERNAL') env.logger.error({ engine: sess.name, err: String(e) }, 'live frame failed');
    sess.peer.send('error', { code: err.code, message: err.reason.slice(0, 2000), ref, txId: null });
    if (MINOR_VIOLATIONS.has(err.code)) this.penalize(sess.name, `${err.code}: ${err.reason}`.slice(0, 500));
    // Numerical Error: dropped, and the source re-fetched (failure-modes.md), as on the JSON path.
    if (err.code === 'NON_FINITE' && sess.has('source'))
      snapshots.request(
        sess.name,
        sess.peer,
        `a live frame carried a number the canonical form cannot hold, and was dropped: ${err.reason}`,
        null,
      );
  }

  /** Every live-capable target that takes transactions gets the records now (or as soon as its socket drains). */
  private forward(from: Session, records: readonly LiveRecord[], bytes: Uint8Array) {
    const { sessions, ledger, env } = this.ctx;
    const now = env.clock.now();
    for (const t of sessions.values()) {
      if (t === from || !t.has('target') || !t.peer.capabilities.includes(LIVE_CAPABILITY)) continue;
      if (!t.dispatchable(ledger.state.engines.get(t.name), now)) continue;
      const ob = this.outbox(t);
      // nothing held back for this target: the frame goes on as it came (only its number changes)
      if (ob.pending.size === 0 && !ob.peer.closed && !this.backedUp(ob)) {
        this.sendAsIs(ob, bytes);
        continue;
      }
      for (const r of records) ob.pending.set(r.id, r);
      this.flush(t, ob);
    }
  }

  private backedUp(ob: Outbox): boolean {
    return (ob.peer.bufferedAmount ?? 0) > this.ctx.env.config.liveMaxBufferedBytes;
  }

  private sendAsIs(ob: Outbox, raw: Uint8Array) {
    const copy = Uint8Array.from(raw);
    new DataView(copy.buffer).setUint32(4, ob.nextFrame, true);
    ob.peer.sendBinary?.(copy);
    ob.nextFrame = (ob.nextFrame + 1) >>> 0 || 1;
  }

  private outbox(t: Session): Outbox {
    let ob = this.outboxes.get(t);
    if (!ob) {
      ob = { peer: t.peer, nextFrame: 1, pending: new Map(), timer: null, settledAt: new Map() };
      this.outboxes.set(t, ob);
    }
    return ob;
  }

  /**
   * Sends what is pending, unless the target's socket has too much unsent: then nothing is queued,
   * the pending map keeps the latest value per object, and it is tried again shortly.
   */
  private flush(t: Session, ob: Outbox) {
    if (ob.pending.size === 0 || ob.peer.closed) return;
    if (this.backedUp(ob)) {
      if (!ob.timer)
        ob.timer = this.ctx.env.clock.setTimeout(() => {
          ob.timer = null;
          if (this.outboxes.get(t) === ob) this.flush(t, ob);
        }, RETRY_MS);
      return;
    }
    const records = [...ob.pending.values()];
    ob.pending.clear();
    for (let i = 0; i < records.length; i += LIVE_MAX_RECORDS) {
      ob.peer.sendBinary?.(encodeLiveFrame({ frame: ob.nextFrame, records: records.slice(i, i + LIVE_MAX_RECORDS) }));
      ob.nextFrame = (ob.nextFrame + 1) >>> 0 || 1;
    }
  }

  private scheduleSettle(source: string, stream: Stream) {
    const { clock, config } = this.ctx.env;
    if (stream.idleTimer) clock.clearTimeout(stream.idleTimer);
    stream.idleTimer = clock.setTimeout(() => void this.settle(source), config.liveIdleMs);
    stream.settleTimer ??= clock.setTimeout(() => void this.settle(source), config.liveSettleMs);
  }

  private stopTimers(stream: Stream) {
    const { clock } = this.ctx.env;
    if (stream.idleTimer) clock.clearTimeout(stream.idleTimer);
    if (stream.settleTimer) clock.clearTimeout(stream.settleTimer);
    stream.idleTimer = stream.settleTimer = null;
  }

  /**
   * Makes `source`'s latest live values durable: one `accepted` record, `live_settled` to the
   * source once it is durable, then one transaction to every target (hash-checked like a batch).
   */
  async settle(source: string): Promise<void> {
    const stream = this.streams.get(source);
    if (!stream) return;
    this.stopTimers(stream);
    if (stream.settling) {
      stream.again = true;
      return;
    }
    const { ledger, env, sessions, transactions, changes } = this.ctx;
    const state = ledger.state;
    const entries: Array<[string, OverlayEntry]> = [];
    const held = state.ids.hasHeld();
    for (const [id, e] of this.overlay) {
      if (e.source !== source) continue;
      // An object a snapshot removed, or whose branch went DIRTY / LOCKED since, is not written.
      if (!state.scene.objects.has(id) || (held && !branchOpen(state, id))) this.overlay.delete(id);
      else entries.push([id, e]);
    }
    if (entries.length === 0) return;
    if (state.panic) {
      // Nothing new is accepted in PANIC: the preview is dropped, never made durable.
      for (const [id] of entries) this.overlay.delete(id);
      return;
    }
    const now = env.clock.now();
    const targets = [...sessions.values()].filter((t) => {
      if (!t.has('target') || t.name === source) return false;
      const st = t.state(state.engines.get(t.name), now);
      return st !== 'PANIC' && st !== 'DEGRADED';
    });
    const names = targets.map((t) => t.name);
    // every frame up to the stream's last is now durable, superseded by a durable value, or dropped
    const frame = stream.lastFrame;
    const prefix = `${LIVE_MID_PREFIX}${this.startedAt.toString(36)}.${(++this.settles).toString(36)}`;
    const mutations = entries.map(([id, e], k) => liveMutation(id, `${prefix}.${k.toString(36)}`, names, e.transform));
    let patch: Patch;
    try {
      patch = planMutations(state.scene, mutations, env.limits);
    } catch (e) {
      env.logger.warn({ engine: source, err: String(e) }, 'live settle refused; its values are dropped');
      for (const [id] of entries) this.overlay.delete(id);
      return;
    }
    // Each live target's tx_begin will say which live frames these values are not newer than.
    for (const t of targets) {
      const ob = this.outboxes.get(t);
      if (!ob) continue;
      ob.settledAt.set(prefix, ob.nextFrame - 1);
      if (ob.settledAt.size > 64) ob.settledAt.delete(ob.settledAt.keys().next().value!);
    }
    stream.settling = true;
    const durable = ledger.write([{ t: 'accepted', at: now, engine: source, ref: `live:${frame}`, mutations, pid: null }], patch);
    // Entries settled now leave the overlay; one a newer frame replaced meanwhile stays for the next settle.
    for (const [id, e] of entries) if (this.overlay.get(id) === e) this.overlay.delete(id);
    changes.emit('engines');
    let seq: number | null = null;
    try {
      seq = await durable;
    } catch {
      // a failed append is PANIC (ledger.ts); nobody is told the values are durable
    }
    stream.settling = false;
    if (seq !== null) {
      if (stream.peer === sessions.get(source)?.peer) stream.peer.send('live_settled', { frame, seq, count: mutations.length });
      transactions.enqueue(mutations, patch.steps, source, null, source);
    }
    if (stream.again) {
      stream.again = false;
      void this.settle(source);
    }
  }

  // ---------- what the transaction path tells the lane ----------

  /**
   * The `liveFrame` of a transaction to a live target: the last live frame it had been sent when
   * the newest settle in it was written. A target keeps an object's live value from a later frame
   * (docs/protocol.md "Live lane"), so a settle never moves an object back behind a newer frame.
   */
  liveFrameFor(target: Session, tx: Transaction): number | undefined {
    const ob = this.outboxes.get(target);
    if (!ob || ob.settledAt.size === 0) return undefined;
    let frame: number | undefined;
    for (const i of tx.items) {
      const at = ob.settledAt.get(settleOf(i.mutation.mid) ?? '');
      if (at !== undefined && (frame === undefined || at > frame)) frame = at;
    }
    return frame;
  }

  /** A rollback made these objects DIRTY: their live values are dropped everywhere. */
  forget(ids: readonly string[]) {
    for (const id of ids) {
      this.overlay.delete(id);
      for (const ob of this.outboxes.values()) ob.pending.delete(id);
    }
  }

  /** A session ended: a source's last values are settled now (they were validated and shown); a target's outbox goes. */
  gone(sess: Session) {
    const ob = this.outboxes.get(sess);
    if (ob?.timer) this.ctx.env.clock.clearTimeout(ob.timer);
    this.outboxes.delete(sess);
    const stream = this.streams.get(sess.name);
    if (stream && stream.peer === sess.peer) void this.settle(sess.name);
  }

  close() {
    for (const s of this.streams.values()) this.stopTimers(s);
    for (const ob of this.outboxes.values()) if (ob.timer) this.ctx.env.clock.clearTimeout(ob.timer);
  }
}

function liveMutation(objectId: string, mid: string, targets: string[], t: Transform): Mutation {
  return { mid, targets, op: 'set_transform', objectId, transform: { position: t.position, rotation: t.rotation, scale: t.scale } };
}

function branchOpen(state: Parameters<typeof checkBranches>[0], id: string): boolean {
  try {
    checkBranches(state, [liveMutation(id, 'live', [], { position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] })]);
    return true;
  } catch {
    return false;
  }
}
