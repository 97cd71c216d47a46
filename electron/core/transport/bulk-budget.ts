// The bulk budget of the inbound scheduler: how much bulk work (frames from connections with more
// outstanding than a peer streaming at its own pace) may be in flight, adapted (AIMD) to what bulk
// costs everyone else. An interactive frame that ran beside bulk work is measured against twice the
// in-flight time of interactive frames that ran alone (this machine's own loop and disk: the median
// of the latest 32, at least `targetLatencyMs`), and the event loop's busy share against
// `maxLoopBusy` (a saturated loop delays every socket read and ack, which no in-flight time shows;
// it counts only in an interval where an interactive frame arrived, so a flood alone may use the whole
// loop). Over either, in an interval where bulk ran, the budget halves; otherwise it grows: it starts at
// one frame and doubles per calm interval until the first contention, then grows by an eighth. An
// interval with no bulk work says nothing about its cost and leaves the budget alone, so a flood
// that starts after a quiet hour meets the budget the last one left, not the ceiling. Below one
// frame the budget is a duty cycle (the scheduler paces bulk frames by it), down to `minBulkDuty`; it
// grows back by a quarter per calm interval to half where the latest run of halvings began, then by
// 5 %, so that probes past the limit (each a slow frame for a quiet peer) come seldom.

/** The share of time the event loop was busy since the previous call (0–1). */
export type LoopBusyFn = () => number;

/** Node's event-loop utilisation, as a difference between calls. */
export function loopBusy(): LoopBusyFn {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const share = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return share;
  };
}

export interface BudgetLimits {
  /** floor of the latency an interactive frame beside bulk work may reach (the target is 2× the solo figure, at least this) */
  targetLatencyMs: number;
  /** how often the budget is adjusted */
  intervalMs: number;
  /** the smallest share of time bulk work may keep in flight, however contended (it is never starved) */
  minBulkDuty: number;
  /** the share of an interval the event loop may be busy while bulk work runs */
  maxLoopBusy: number;
}

/** Uncontended interactive frames whose median is the baseline latency. */
const BASELINE_SAMPLES = 32;

/** Growth of a duty cycle per calm interval: far below the budget that last cost others, and near it. */
const FAST_GROWTH = 1.25;
const SLOW_GROWTH = 1.05;

export class BulkBudget {
  /** in-flight frames bulk work shares; below 1, the share of time it may be in flight */
  private bulk = 1;
  /** no interval has been contended yet: the budget doubles after each calm one, up from one frame */
  private probing = true;
  /** the budget when the latest run of halvings began: growth slows near it (Infinity before any) */
  private lastCut = Number.POSITIVE_INFINITY;
  /** the previous interval halved the budget */
  private cutting = false;
  private intervalStart: number;
  /** the slowest contended interactive frame's in-flight time in the current interval */
  private slowest = 0;
  /** bulk frames started when the current interval began */
  private intervalBulkStarts = 0;
  /** an interactive frame arrived in the current interval: someone a saturated loop would delay */
  private interactiveRan = false;
  /** the latest uncontended interactive in-flight times, ms: their median is the baseline */
  private readonly alone: number[] = [];

  constructor(
    private readonly limits: BudgetLimits,
    /** the most in-flight frames bulk work may ever share */
    private readonly ceiling: number,
    private readonly busy: LoopBusyFn,
    now: number,
  ) {
    this.intervalStart = now;
  }

  get value(): number {
    return this.bulk;
  }

  /**
   * An interactive frame's in-flight time: what the budget protects. Uncontended ones (no bulk work
   * beside them) set the baseline: a median, so a few heavy frames (a snapshot's adoption) do not
   * loosen the target for everyone.
   */
  observe(ms: number, contended: boolean): void {
    if (contended) {
      if (ms > this.slowest) this.slowest = ms;
    } else {
      this.alone.push(ms);
      if (this.alone.length > BASELINE_SAMPLES) this.alone.shift();
    }
  }

  /** An interactive frame arrived: in this interval, the loop's busy share is someone else's delay. */
  interactiveArrived(): void {
    this.interactiveRan = true;
  }

  /** Median uncontended interactive in-flight time, ms (half the latency floor before any was seen). */
  get baseline(): number {
    if (this.alone.length === 0) return this.limits.targetLatencyMs / 2;
    const sorted = [...this.alone].sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  }

  /** The latency an interactive frame may reach beside bulk work: twice its uncontended baseline, at least `targetLatencyMs`. */
  get target(): number {
    return Math.max(this.limits.targetLatencyMs, 2 * this.baseline);
  }

  /** The budget after a calm interval in which bulk work ran. */
  private grown(): number {
    // Below one frame: back up to half the budget the latest halvings began from at once, then
    // slowly, since each probe past the limit costs a quiet peer a slow frame and should come seldom.
    if (this.bulk < 1) return Math.min(1, this.bulk * (this.bulk * 2 < this.lastCut ? FAST_GROWTH : SLOW_GROWTH));
    if (this.probing) return Math.min(this.ceiling, this.bulk * 2);
    return Math.min(this.ceiling, this.bulk + Math.max(1, Math.floor(this.bulk / 8)));
  }

  /**
   * Once per interval: halves the budget if bulk work ran and cost others (a contended interactive
   * frame over the target, or a saturated loop), grows it if bulk ran at no cost, and leaves it if
   * none ran. `bulkStarts` counts bulk frames started so far; `bulkInflight`, those running now.
   */
  adjust(now: number, bulkStarts: number, bulkInflight: number): void {
    if (now - this.intervalStart < this.limits.intervalMs) return;
    const bulkRan = bulkInflight > 0 || bulkStarts !== this.intervalBulkStarts;
    // the loop's share counts only while someone else had a frame to run: a flood alone may use it all
    const loopFull = this.busy() > this.limits.maxLoopBusy && this.interactiveRan;
    if (this.slowest > this.target || (bulkRan && loopFull)) {
      // a run of halvings is one episode: growth afterwards is measured from where it began
      if (!this.cutting) this.lastCut = this.bulk;
      this.cutting = true;
      this.bulk = this.bulk >= 2 ? Math.floor(this.bulk / 2) : Math.max(this.limits.minBulkDuty, this.bulk / 2);
      this.probing = false;
    } else if (!bulkRan) {
      // no bulk work ran: nothing was learnt about what more of it would cost, so the budget stays
    } else {
      this.cutting = false;
      this.bulk = this.grown();
    }
    this.intervalStart = now;
    this.intervalBulkStarts = bulkStarts;
    this.slowest = 0;
    this.interactiveRan = false;
  }
}
