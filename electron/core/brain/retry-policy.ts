// Transient-error retry policy (failure-modes.md §3): 3 retries, 100 → 400 → 1600 ms. Each delay
// carries ±10 % jitter, so engines that failed together do not all retry in the same millisecond;
// the bounds stay inside the spec's steps. Timers run on the injected Clock, never on real time.
export const TRANSIENT_RETRIES = 3;
export const TRANSIENT_BASE_MS = 100;
export const TRANSIENT_FACTOR = 4;
export const TRANSIENT_JITTER = 0.1;

/** The nominal delay before retry number `retry` (0-based): 100, 400, 1600 ms. */
export const nominalDelay = (retry: number) => TRANSIENT_BASE_MS * TRANSIENT_FACTOR ** retry;

/** The delay before retry `retry`, jittered within ±10 % of the nominal; null once retries are spent. */
export function transientDelay(retry: number, random: () => number = Math.random): number | null {
  if (retry >= TRANSIENT_RETRIES) return null;
  const nominal = nominalDelay(retry);
  return Math.round(nominal * (1 - TRANSIENT_JITTER + 2 * TRANSIENT_JITTER * random()));
}
