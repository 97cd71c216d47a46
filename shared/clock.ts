// Time is injected everywhere, so heartbeat timeouts, back-offs and cool-offs are tested without sleeping.
// Pure TypeScript: the orchestrator, the simulator and tests share it (tests move time with
// test/support/manual-clock.ts). The system clock's timers never keep a Node process alive.
export type TimerHandle = { readonly id: number };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = (() => {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++;
      const timer = setTimeout(() => {
        timers.delete(id);
        fn();
      }, ms);
      // Node's timers have unref(); a browser's are plain numbers and never hold a process open.
      (timer as { unref?: () => void }).unref?.();
      timers.set(id, timer);
      return { id };
    },
    clearTimeout(h) {
      const t = timers.get(h.id);
      if (t) {
        clearTimeout(t);
        timers.delete(h.id);
      }
    },
  };
})();
