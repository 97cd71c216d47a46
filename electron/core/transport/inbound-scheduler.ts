// Fair sharing of the orchestrator between connections. Every handshaken connection has a lane: a
// FIFO of decoded frames waiting for the brain. The brain works on at most `maxInflight` frames at
// once (a frame is in flight until its promise settles: a mutation until it is durable and acked),
// and lanes take turns, one frame per turn (round robin), so a flooder waits behind its own queue
// while a quiet connection's next frame waits for at most one turn of every other lane.
// Backpressure: a lane over its frame or byte bound, or any lane while all lanes together hold more
// than `maxTotalBytes`, stops reading its socket (TCP pushes back on the sender) until it has
// drained to half. Nothing is ever buffered without bound, and nothing read is dropped.

export interface SchedulerLimits {
  /** frames the brain works on at once, over all connections */
  maxInflight: number;
  /** frames one connection may have waiting before its socket is paused */
  maxQueuedFrames: number;
  /** bytes of frames one connection may have waiting before its socket is paused */
  maxQueuedBytes: number;
  /** bytes of frames waiting over all connections; past it, the connection adding more is paused */
  maxTotalBytes: number;
}

export const DEFAULT_SCHEDULER_LIMITS: SchedulerLimits = {
  maxInflight: 64,
  maxQueuedFrames: 256,
  maxQueuedBytes: 32 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

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

  constructor(readonly hooks: LaneHooks) {}

  get waiting(): number {
    return this.queue.length - this.head;
  }
}

export class InboundScheduler {
  private readonly ring: Lane[] = [];
  private ringHead = 0;
  private inflight = 0;
  private totalBytes = 0;
  private draining = false;
  /** lanes whose socket is paused: each is checked for resuming whenever work moves */
  private readonly paused = new Set<Lane>();

  constructor(readonly limits: SchedulerLimits = DEFAULT_SCHEDULER_LIMITS) {}

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
    const active = this.ring.length - this.ringHead;
    if (active < 2) return false;
    if (!full && lane.bytes <= this.limits.maxTotalBytes / active) return false;
    let othersWaiting = false;
    for (let i = this.ringHead; i < this.ring.length; i++) {
      const other = this.ring[i]!;
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
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.inflight < this.limits.maxInflight && this.ringHead < this.ring.length) {
        const lane = this.ring[this.ringHead++]!;
        if (lane.closed || lane.waiting === 0 || lane.blocked) {
          lane.scheduled = false;
          continue;
        }
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
        this.start(item, item.barrier ? lane : null);
      }
      for (const lane of this.paused) this.maybeResume(lane);
      if (this.ringHead > 1024 && this.ringHead * 2 > this.ring.length) {
        this.ring.splice(0, this.ringHead);
        this.ringHead = 0;
      }
    } finally {
      this.draining = false;
    }
  }

  private start(item: Item, barrierOf: Lane | null): void {
    this.inflight++;
    let result: void | Promise<void>;
    try {
      result = item.run();
    } catch {
      result = undefined; // the runner reports its own failures
    }
    if (result && typeof result.then === 'function') {
      const settled = barrierOf ? () => this.unblock(barrierOf) : this.settled;
      result.then(settled, settled);
    } else {
      this.inflight--;
      if (barrierOf) this.release(barrierOf);
    }
  }

  private readonly settled = () => {
    this.inflight--;
    // Settling happens in a promise callback: drain from there, never recursively from push.
    this.drain();
  };

  private unblock(lane: Lane): void {
    this.release(lane);
    this.settled();
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
