// Clock slice: how far the orchestrator's clock is ahead of this machine's. Ages and countdowns
// compare orchestrator timestamps with the orchestrator's "now" (local time + offset), so a
// browser view on a machine whose clock is off still reads right.
import type { StateCreator } from 'zustand';
import type { PanelStore } from './index.js';

/** One reading of the orchestrator's clock: from a reply (sentAt known) or an update push (one-way). */
export interface ServerTimeSample { serverNow: number; receivedAt: number; sentAt?: number }
export interface ClockEstimate { offsetMs: number; known: boolean }

/** A push may be late by its delivery time; only a disagreement larger than this means a clock moved. */
export const PUSH_TOLERANCE_MS = 1000;

/**
 * A reply brackets the orchestrator's reading between sentAt and receivedAt, so the midpoint is
 * accurate to half the round trip: it always wins. A push only says the orchestrator's clock was
 * at least `serverNow` on arrival; it is used while nothing better is known, or when it disagrees
 * by more than PUSH_TOLERANCE_MS (a clock was changed during a long session).
 */
export function nextClockEstimate(cur: ClockEstimate, s: ServerTimeSample): ClockEstimate {
  if (s.sentAt !== undefined) return { offsetMs: Math.round(s.serverNow - (s.sentAt + s.receivedAt) / 2), known: true };
  const pushed = s.serverNow - s.receivedAt;
  if (!cur.known || Math.abs(pushed - cur.offsetMs) > PUSH_TOLERANCE_MS) return { offsetMs: pushed, known: true };
  return cur;
}

export interface ClockSlice {
  clock: ClockEstimate;
  observeServerTime(sample: ServerTimeSample): void;
}

export const createClockSlice: StateCreator<PanelStore, [], [], ClockSlice> = (set) => ({
  clock: { offsetMs: 0, known: false },
  observeServerTime: (sample) => set((s) => {
    const next = nextClockEstimate(s.clock, sample);
    // Returning the same state object notifies no one: pushes arrive ~10 times a second.
    return next.offsetMs === s.clock.offsetMs && next.known === s.clock.known ? s : { clock: next };
  }),
});
