// Fair sharing of the orchestrator between connections. Every handshaken connection has a lane: a
// FIFO of decoded frames waiting for the brain. The brain works on at most `maxInflight` frames at
// once (a frame is in flight until its promise settles: a mutation until it is durable and acked),
// and lanes take turns, one frame per turn (round robin), so a flooder waits behind its own queue
// while a quiet connection's next frame waits for at most one turn of every other lane.
// Backpressure: a lane over its frame or byte bound, or any lane while all lanes together hold more
// than `maxTotalBytes`, stops reading its socket (TCP pushes back on the sender) until it has
// drained to half. Nothing is ever buffered without bound, and nothing read is dropped.
//
// Admission control: a frame whose connection has more than `interactiveDepth` frames outstanding
// (waiting or in flight) is *bulk*; the others are *interactive*, a peer streaming at its own pace.
// Bulk frames share an in-flight budget that adapts to what bulk costs everyone else (bulk-budget.ts).
// Below one frame the budget is a duty cycle: one bulk frame at a time, and after a frame that took
// t ms the next waits t·(1/budget − 1) ms, down to `minBulkDuty`. That is what keeps a saturated
// disk's fsync stalls off the quiet connection: the WAL's write rate, not only the loop, is shared.
// Interactive frames never wait for the bulk budget, only for `maxInflight`. So a connection
// streaming at its own pace keeps about its solo latency beside flooders, and the flooders share
// what is left, in turns, their sockets paused while they wait. A slow disk alone (nothing bulk
// beside it) never throttles anyone. A frame's synchronous part (decode, validate, apply) runs as it
// starts, so one drain starts frames for at most `sliceMs`, then yields to the event loop: sockets,
// timers and the WAL's completions are served between slices, not after dozens of bulk frames.

import { BulkBudget, loopBusy, type LoopBusyFn } from './bulk-budget.js';

export interface SchedulerLimits {
  /** frames the brain works on at once, over all connections */
  maxInflight: number;
  /** frames one connection may have waiting before its socket is paused */
  maxQueuedFrames: number;
  /** bytes of frames one connection may have waiting before its socket is paused */
  maxQueuedBytes: number;
  /** bytes of frames waiting over all connections; past it, the connection adding more is paused */
  maxTotalBytes: number;
  /** floor of the latency an interactive frame beside bulk work may reach before bulk is admitted less (the target is 2× the solo figure, at least this) */
  targetLatencyMs: number;
  /** how often the bulk budget is adjusted */
  intervalMs: number;
  /** in-flight slots bulk frames can never take, kept for interactive ones */
  interactiveReserve: number;
  /** frames a connection may have outstanding (waiting + in flight) and still count as interactive */
  interactiveDepth: number;
  /** the smallest share of time bulk work may keep in flight, however contended (it is never starved) */
  minBulkDuty: number;
  /**
   * the share of an interval the event loop may be busy while bulk work runs beside interactive
   * frames: over it, the bulk budget halves as if an interactive frame had been slow, so sockets,
   * acks and heartbeats always find the loop with room (a saturated loop delays every frame's read
   * and ack, not only its turn). A flood with no interactive frame beside it is not held to it.
   */
  maxLoopBusy: number;
  /**
   * ms of frames one drain may start back to back before it yields to the event loop: a frame's
   * synchronous part (decode, validate, apply) runs as it starts, so without a slice a drain that
   * starts dozens of bulk frames would hold every socket, timer and heartbeat behind them
   */
  sliceMs: number;
}

export const DEFAULT_SCHEDULER_LIMITS: SchedulerLimits = {
  maxInflight: 64,
  maxQueuedFrames: 256,
  maxQueuedBytes: 32 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  targetLatencyMs: 5,
  intervalMs: 100,
  interactiveReserve: 8,
  interactiveDepth: 4,
  minBulkDuty: 1 / 64,
  maxLoopBusy: 0.75,
  sliceMs: 4,
};

/** Arms a one-shot timer; returns its cancel. */
export type TimerFn = (fn: () => void, ms: number) => () => void;

/** Runs `fn` once the event loop has handled the I/O waiting now (sockets, timers); returns its cancel. */
export type YieldFn = (fn: () => void) => () => void;

const realYield: YieldFn = (fn) => {
  const t = setImmediate(fn);
  return () => clearImmediate(t);
};

const realTimer: TimerFn = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

/** What the scheduler reads time and the event loop through (tests drive them by hand). */
export interface SchedulerDeps {
  now?: () => number;
  timer?: TimerFn;
  yieldLoop?: YieldFn;
  busy?: LoopBusyFn;
}

/** What a lane does to its connection. */
export interface LaneHooks {
  /** stop reading the socket */
  pause(): void;
  /** read it again */
  resume(): void;
  /** the lane was just paused because it was full (not because of the total bound alone) */
  flooded?(): void;
}

interface Item {
  bytes: number;
  run: () => void | Promise<void>;
  /** the lane's later frames wait until this one settles (it awaits work off the event loop mid-way) */
  barrier: boolean;
}

export class Lane {
  readonly queue: Item[] = [];
  head = 0;
  bytes = 0;
  paused = false;
  scheduled = false;
  closed = false;
  /** a barrier frame of this lane is in flight: the rest wait for it */
  blocked = false;
  /** this lane's frames in flight */
  inflight = 0;

  constructor(readonly hooks: LaneHooks) {}

  get waiting(): number {
    return this.queue.length - this.head;
  }
}

export class InboundScheduler {
  private readonly ring: Lane[] = [];
  private ringHead = 0;
  /** lanes whose turn came while the bulk budget was spent: first served once it frees */
  private readonly throttled: Lane[] = [];
  private throttledHead = 0;
  private inflight = 0;
  private bulkInflight = 0;
  /** bulk frames started so far: an interactive frame that saw one start beside it was contended */
  private bulkStarts = 0;
  /** in-flight frames bulk work shares; below 1, the share of time it may be in flight */
  private readonly budget: BulkBudget;
  /** below a budget of 1: when the next bulk frame may start */
  private nextBulkAt = 0;
  private cancelWake: (() => void) | null = null;
  readonly limits: SchedulerLimits;
  private readonly now: () => number;
  private totalBytes = 0;
  private draining = false;
  /** a drain that used its slice: the rest of its work waits for the next turn of the event loop */
  private cancelYield: (() => void) | null = null;
  /** lanes whose socket is paused: each is checked for resuming whenever work moves */
  private readonly paused = new Set<Lane>();

  private readonly timer: TimerFn;
  private readonly yieldLoop: YieldFn;

  constructor(limits: Partial<SchedulerLimits> = {}, deps: SchedulerDeps = {}) {
    this.limits = { ...DEFAULT_SCHEDULER_LIMITS, ...limits };
    this.now = deps.now ?? (() => performance.now());
    this.timer = deps.timer ?? realTimer;
    this.yieldLoop = deps.yieldLoop ?? realYield;
    this.budget = new BulkBudget(this.limits, this.bulkCeiling, deps.busy ?? loopBusy(), this.now());
  }

  private get bulk(): number {
    return this.budget.value;
  }

  /** The in-flight budget bulk frames currently share; below 1, their duty cycle (for tests and reporting). */
  get bulkBudget(): number {
    return this.bulk;
  }

  private get bulkCeiling(): number {
    return Math.max(1, this.limits.maxInflight - this.limits.interactiveReserve);
  }

  /** Frames waiting over all lanes, in bytes (for tests and /healthz-style reporting). */
  get queuedBytes(): number {
    return this.totalBytes;
  }
  get inFlight(): number {
    return this.inflight;
  }

  lane(hooks: LaneHooks): Lane {
    return new Lane(hooks);
  }

  /**
   * Queues one frame's work on `lane`; it runs in the lane's order when the lane's turn comes. A
   * `barrier` frame runs alone: the lane's next frame starts only once it has settled.
   */
  push(lane: Lane, bytes: number, run: () => void | Promise<void>, barrier = false): void {
    if (lane.closed) return;
    lane.queue.push({ bytes, run, barrier });
    lane.bytes += bytes;
    this.totalBytes += bytes;
    // an interactive frame arrived: in this interval the loop's busy share is someone's delay
    if (lane.inflight + lane.waiting <= this.limits.interactiveDepth) this.budget.interactiveArrived();
    if (!lane.scheduled && !lane.blocked) {
      lane.scheduled = true;
      this.ring.push(lane);
    }
    const full = lane.waiting >= this.limits.maxQueuedFrames || lane.bytes >= this.limits.maxQueuedBytes;
    if (!lane.paused && (full || this.totalBytes >= this.limits.maxTotalBytes)) {
      lane.paused = true;
      this.paused.add(lane);
      lane.hooks.pause();
      if (this.isFlooding(lane, full)) lane.hooks.flooded?.();
    }
    this.drain();
  }

  /**
   * Flooding, which costs trust: its queue is full or over its fair share of the total bound, while
   * other connections wait too and it holds more frames than any of them. A connection alone in a
   * slow moment, or one filled only because the whole orchestrator stalled (every queue as full as
   * its own), is paused but not blamed.
   */
  private isFlooding(lane: Lane, full: boolean): boolean {
    const others = [...this.ring.slice(this.ringHead), ...this.throttled.slice(this.throttledHead)];
    if (others.length < 2) return false;
    if (!full && lane.bytes <= this.limits.maxTotalBytes / others.length) return false;
    let othersWaiting = false;
    for (const other of others) {
      if (other === lane || other.waiting === 0) continue;
      othersWaiting = true;
      if (other.waiting >= lane.waiting) return false;
    }
    return othersWaiting;
  }

  /** The connection is gone: what it still had waiting is dropped (its peer can no longer be answered). */
  close(lane: Lane): void {
    lane.closed = true;
    this.paused.delete(lane);
    this.totalBytes -= lane.bytes;
    lane.bytes = 0;
    lane.queue.length = 0;
    lane.head = 0;
  }

  private drain(): void {
    if (this.draining || this.cancelYield) return;
    this.draining = true;
    const sliceEnd = this.now() + this.limits.sliceMs;
    const sliceLeft = () => {
      if (this.now() < sliceEnd) return true;
      this.cancelYield = this.yieldLoop(() => {
        this.cancelYield = null;
        this.drain();
      });
      return false;
    };
    try {
      // Lanes held back by the bulk budget had their turn already: they go first once it frees.
      while (this.inflight < this.limits.maxInflight && this.bulkMayStart() && this.throttledHead < this.throttled.length) {
        if (!sliceLeft()) break;
        const lane = this.throttled[this.throttledHead++]!;
        if (lane.closed || lane.waiting === 0 || lane.blocked) lane.scheduled = false;
        else this.take(lane, true);
      }
      while (!this.cancelYield && this.inflight < this.limits.maxInflight && this.ringHead < this.ring.length) {
        if (!sliceLeft()) break;
        const lane = this.ring[this.ringHead++]!;
        if (lane.closed || lane.waiting === 0 || lane.blocked) {
          lane.scheduled = false;
          continue;
        }
        // bulk: the connection has more frames outstanding (waiting or in flight) than a peer streaming at its own pace
        const bulk = lane.inflight + lane.waiting > this.limits.interactiveDepth;
        if (bulk && !this.bulkMayStart()) {
          this.throttled.push(lane);
          continue;
        }
        this.take(lane, bulk);
      }
      for (const lane of this.paused) this.maybeResume(lane);
      this.wakeForBulk();
      // Turns already taken leave the queues: a lane left in one would keep a closed connection (its
      // socket, its session) reachable.
      this.ringHead = trimTaken(this.ring, this.ringHead);
      this.throttledHead = trimTaken(this.throttled, this.throttledHead);
    } finally {
      this.draining = false;
    }
  }

  private bulkMayStart(): boolean {
    if (this.bulk >= 1) return this.bulkInflight < Math.floor(this.bulk);
    return this.bulkInflight === 0 && this.now() >= this.nextBulkAt;
  }

  /**
   * Bulk work waits only for its pacing: drain again when it may start (nothing else may come to
   * drain: every socket may be paused). Armed even when the pacing has just ended: it may have ended
   * after the drain found it running (time moves on a loaded CPU), and a lost wake-up would hold the
   * flood, and every paused socket, for ever.
   */
  private wakeForBulk(): void {
    if (this.cancelWake || this.throttledHead >= this.throttled.length || this.bulkInflight > 0) return;
    if (this.inflight >= this.limits.maxInflight) return; // a frame settling drains again
    const wait = Math.max(0, Math.ceil(this.nextBulkAt - this.now()));
    this.cancelWake = this.timer(() => {
      this.cancelWake = null;
      this.drain();
    }, wait);
  }

  /** Starts `lane`'s next frame and gives the lane its next turn (if it has more). */
  private take(lane: Lane, bulk: boolean): void {
    const item = lane.queue[lane.head]!;
    lane.queue[lane.head++] = undefined as unknown as Item;
    if (lane.head > 1024 && lane.head * 2 > lane.queue.length) {
      lane.queue.splice(0, lane.head);
      lane.head = 0;
    }
    lane.bytes -= item.bytes;
    this.totalBytes -= item.bytes;
    // Its next frame waits for the next turn: behind every other lane that has work (or, after a
    // barrier, until the barrier settles).
    if (item.barrier) {
      lane.blocked = true;
      lane.scheduled = false;
    } else if (lane.waiting > 0) this.ring.push(lane);
    else lane.scheduled = false;
    this.start(item, lane, bulk);
  }

  private start(item: Item, lane: Lane, bulk: boolean): void {
    this.inflight++;
    lane.inflight++;
    if (bulk) {
      this.bulkInflight++;
      this.bulkStarts++;
    }
    const began = this.now();
    const bulkSeen = this.bulkStarts;
    // an interactive frame started beside bulk work: its in-flight time says what bulk costs others
    let contended = !bulk && this.bulkInflight > 0;
    let result: void | Promise<void>;
    try {
      result = item.run();
    } catch {
      result = undefined; // the runner reports its own failures
    }
    const done = () => {
      this.inflight--;
      lane.inflight--;
      if (bulk) {
        this.bulkInflight--;
        // paced: the next bulk frame keeps bulk work in flight for at most `bulk` of the time
        if (this.bulk < 1) this.nextBulkAt = this.now() + (this.now() - began) * (1 / this.bulk - 1);
      }
      if (item.barrier) this.release(lane);
    };
    if (result && typeof result.then === 'function') {
      const settled = () => {
        done();
        contended ||= !bulk && (this.bulkInflight > 0 || this.bulkStarts !== bulkSeen);
        if (!bulk) {
          this.budget.observe(this.now() - began, contended);
          this.adjust();
        }
        // Settling happens in a promise callback: drain from there, never recursively from push.
        this.drain();
      };
      result.then(settled, settled);
    } else {
      done();
    }
    this.adjust();
  }

  /** The latency an interactive frame may reach beside bulk work (for tests and reporting). */
  get target(): number {
    return this.budget.target;
  }

  private adjust(): void {
    this.budget.adjust(this.now(), this.bulkStarts, this.bulkInflight);
  }

  /** The lane's barrier settled: its waiting frames take turns again. */
  private release(lane: Lane): void {
    lane.blocked = false;
    if (!lane.closed && lane.waiting > 0 && !lane.scheduled) {
      lane.scheduled = true;
      this.ring.push(lane);
    }
  }

  private maybeResume(lane: Lane): void {
    if (!lane.paused || lane.closed) return;
    const low =
      lane.waiting <= this.limits.maxQueuedFrames / 2 &&
      lane.bytes <= this.limits.maxQueuedBytes / 2 &&
      this.totalBytes < this.limits.maxTotalBytes / 2;
    if (low) {
      lane.paused = false;
      this.paused.delete(lane);
      lane.hooks.resume();
    }
  }
}

/** Drops the turns already taken (before `head`) from `queue`, all at once when every one was; returns the new head. */
function trimTaken(queue: Lane[], head: number): number {
  if (head === queue.length) queue.length = 0;
  else if (head > 64 && head * 2 > queue.length) queue.splice(0, head);
  else return head;
  return 0;
}
