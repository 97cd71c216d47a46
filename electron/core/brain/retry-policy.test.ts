import { describe, expect, it } from 'vitest';
import { nominalDelay, transientDelay } from './retry-policy.js';

describe('transient retry policy', () => {
  it('Retry & Backoff: 3 retries at 100 → 400 → 1600 ms, each jittered within ±10 %, then none', () => {
    expect([0, 1, 2].map(nominalDelay)).toEqual([100, 400, 1600]);
    expect([0, 1, 2].map((r) => transientDelay(r, () => 0))).toEqual([90, 360, 1440]);
    expect([0, 1, 2].map((r) => transientDelay(r, () => 0.999999))).toEqual([110, 440, 1760]);
    expect([0, 1, 2].map((r) => transientDelay(r, () => 0.5))).toEqual([100, 400, 1600]);
    expect(transientDelay(3, () => 0.5)).toBeNull();
  });
});
