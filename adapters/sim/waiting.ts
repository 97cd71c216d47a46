// Waiting on a simulator from a test, bench or the CLI: for a message it received or will receive,
// or for a condition on state it holds. Both give up with `timeoutMessage` after `timeoutMs`.
import type { EventEmitter } from 'node:events';

/** What the waits read of a simulator: its 'message' and 'closed' events and the messages received so far. */
export interface Waitable<M> extends EventEmitter {
  readonly received: readonly M[];
}

/** Resolves with the first message (already received or still to come) that `match` accepts. */
export function waitForMessage<M, T extends M>(
  sim: Waitable<M>,
  match: (m: M) => m is T,
  timeoutMessage: string,
  timeoutMs: number,
): Promise<T> {
  const seen = sim.received.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sim.off('message', on);
      reject(new Error(timeoutMessage));
    }, timeoutMs);
    const on = (m: M) => {
      if (match(m)) {
        clearTimeout(timer);
        sim.off('message', on);
        resolve(m);
      }
    };
    sim.on('message', on);
  });
}

/** Resolves once `pred()` holds, re-checked on every message and close, and every 5 ms for state held elsewhere. */
export function waitUntil(sim: EventEmitter, pred: () => boolean, timeoutMessage: string, timeoutMs: number): Promise<void> {
  if (pred()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pred()) {
        done();
        resolve();
      }
    };
    const poll = setInterval(check, 5);
    const done = () => {
      clearTimeout(timer);
      clearInterval(poll);
      sim.off('message', check);
      sim.off('closed', check);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(timeoutMessage));
    }, timeoutMs);
    sim.on('message', check);
    sim.on('closed', check);
  });
}
