import { describe, expect, it } from 'vitest';
import { nextClockEstimate, PUSH_TOLERANCE_MS } from './clock.js';

const unknown = { offsetMs: 0, known: false };

describe('the orchestrator clock estimate', () => {
  it('takes a reply at the midpoint of its round trip', () => {
    // local clock one hour behind; the call took 40 ms
    expect(nextClockEstimate(unknown, { serverNow: 3_600_020, sentAt: 0, receivedAt: 40 })).toEqual({ offsetMs: 3_600_000, known: true });
  });

  it('keeps a reply’s estimate when a push arrives a little late, but follows a clock that was changed', () => {
    const fromReply = { offsetMs: 3_600_000, known: true };
    expect(nextClockEstimate(fromReply, { serverNow: 3_600_100, receivedAt: 400 })).toBe(fromReply);
    const jumped = nextClockEstimate(fromReply, { serverNow: 3_600_100 + 5 * 60_000, receivedAt: 400 });
    expect(jumped.offsetMs - fromReply.offsetMs).toBeGreaterThan(PUSH_TOLERANCE_MS);
    expect(jumped).toEqual({ offsetMs: 3_599_700 + 5 * 60_000, known: true });
  });

  it('uses a push while nothing better is known', () => {
    expect(nextClockEstimate(unknown, { serverNow: 10_000, receivedAt: 4_000 })).toEqual({ offsetMs: 6_000, known: true });
  });
});
