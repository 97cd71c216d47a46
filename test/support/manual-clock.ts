// Test support: a Clock that moves only when a test says so, so heartbeat timeouts, back-offs
// and cool-offs are tested without sleeping.
import type { Clock, TimerHandle } from '../../shared/clock.js';

/** A clock that moves only when told to: `advance(ms)` fires every timer that falls due, in order. */
export class ManualClock implements Clock {
  private t: number;
  private next = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.next++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return { id };
  }
  clearTimeout(h: TimerHandle) {
    this.timers.delete(h.id);
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!due || e[1].at < due[1].at)) due = e;
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}
