// Clock slice: how far the orchestrator's clock is ahead of this machine's. Ages and countdowns
// compare orchestrator timestamps with the orchestrator's "now" (local time + offset), so a
// browser view on a machine whose clock is off still reads right. The Electron window never
// samples: its orchestrator runs in the same process, on this clock, so the offset is 0.
import type { StateCreator } from 'zustand';
import type { PanelStore } from './index.js';

/** One reading of the orchestrator's clock: from a reply (sentAt known) or an update push (one-way). */
export interface ServerTimeSample {
  serverNow: number;
  receivedAt: number;
  sentAt?: number;
}
/**
 * `rttMs`: the round trip of the reply the offset came from (the offset is good to half of it);
 * Infinity when it came from a push. `at`: when that reading arrived (local clock).
 */
export interface ClockEstimate {
  offsetMs: number;
  known: boolean;
  rttMs: number;
  at: number;
}

export const UNKNOWN_CLOCK: ClockEstimate = { offsetMs: 0, known: false, rttMs: Infinity, at: 0 };

/** A push may be late by its delivery time; only a disagreement larger than this means a clock moved. */
export const PUSH_TOLERANCE_MS = 1000;
/**
 * A kept reading counts as this much worse per minute of its age (clocks drift; a reading from an
 * hour ago is no longer the best one), so an ordinary reply replaces it again after a while.
 */
export const READING_AGING_MS_PER_MIN = 60;

/**
 * A reply brackets the orchestrator's reading between sentAt and receivedAt; the midpoint is
 * accurate to half the round trip. But `serverNow` is stamped after the call was handled, so a
 * slow call (a 2,000-pid approve) lands far from the midpoint: the reading with the smallest
 * round trip is kept (aged by READING_AGING_MS_PER_MIN), and a slower reply only replaces it when
 * the two cannot both be right by more than PUSH_TOLERANCE_MS (a clock was changed).
 * A push only says the orchestrator's clock was at least `serverNow` on arrival; it is used while
 * nothing better is known, or when it disagrees by more than PUSH_TOLERANCE_MS; the next reply
 * then replaces it.
 */
export function nextClockEstimate(cur: ClockEstimate, s: ServerTimeSample): ClockEstimate {
  if (s.sentAt !== undefined) {
    const reply: ClockEstimate = {
      offsetMs: Math.round(s.serverNow - (s.sentAt + s.receivedAt) / 2),
      known: true,
      rttMs: Math.max(0, s.receivedAt - s.sentAt),
      at: s.receivedAt,
    };
    if (!cur.known) return reply;
    const keptRtt = cur.rttMs + (Math.max(0, s.receivedAt - cur.at) / 60_000) * READING_AGING_MS_PER_MIN;
    if (reply.rttMs <= keptRtt) return reply;
    const couldBothHold = Math.abs(reply.offsetMs - cur.offsetMs) <= (reply.rttMs + cur.rttMs) / 2 + PUSH_TOLERANCE_MS;
    return couldBothHold ? cur : reply;
  }
  const pushed = s.serverNow - s.receivedAt;
  if (!cur.known || Math.abs(pushed - cur.offsetMs) > PUSH_TOLERANCE_MS)
    return { offsetMs: pushed, known: true, rttMs: Infinity, at: s.receivedAt };
  return cur;
}

export interface ClockSlice {
  clock: ClockEstimate;
  observeServerTime(sample: ServerTimeSample): void;
}

export const createClockSlice: StateCreator<PanelStore, [], [], ClockSlice> = (set) => ({
  clock: UNKNOWN_CLOCK,
  // Returning the same state object notifies no one: pushes arrive ~10 times a second, and most
  // replies are no better than the kept reading. useOrchestratorNow selects only the offset.
  observeServerTime: (sample) =>
    set((s) => {
      const next = nextClockEstimate(s.clock, sample);
      return next === s.clock ? s : { clock: next };
    }),
});
