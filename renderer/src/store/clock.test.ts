import { beforeEach, describe, expect, it } from 'vitest';
import { nextClockEstimate, PUSH_TOLERANCE_MS, READING_AGING_MS_PER_MIN, UNKNOWN_CLOCK } from './clock.js';
import { resetStores, usePanel } from './index.js';

const unknown = UNKNOWN_CLOCK;
const HOUR = 3_600_000;

describe('the orchestrator clock estimate', () => {
  it('takes a reply at the midpoint of its round trip', () => {
    // local clock one hour behind; the call took 40 ms
    expect(nextClockEstimate(unknown, { serverNow: 3_600_020, sentAt: 0, receivedAt: 40 })).toEqual({
      offsetMs: HOUR,
      known: true,
      rttMs: 40,
      at: 40,
    });
  });

  it('keeps a reply’s estimate when a push arrives a little late, but follows a clock that was changed', () => {
    const fromReply = { offsetMs: HOUR, known: true, rttMs: 40, at: 40 };
    expect(nextClockEstimate(fromReply, { serverNow: 3_600_100, receivedAt: 400 })).toBe(fromReply);
    const jumped = nextClockEstimate(fromReply, { serverNow: 3_600_100 + 5 * 60_000, receivedAt: 400 });
    expect(jumped.offsetMs - fromReply.offsetMs).toBeGreaterThan(PUSH_TOLERANCE_MS);
    expect(jumped).toEqual({ offsetMs: 3_599_700 + 5 * 60_000, known: true, rttMs: Infinity, at: 400 });
  });

  it('uses a push while nothing better is known, and the next reply replaces it', () => {
    const pushed = nextClockEstimate(unknown, { serverNow: 10_000, receivedAt: 4_000 });
    expect(pushed).toMatchObject({ offsetMs: 6_000, known: true });
    expect(nextClockEstimate(pushed, { serverNow: 12_100, sentAt: 5_000, receivedAt: 7_000 })).toMatchObject({
      offsetMs: 6_100,
      rttMs: 2_000,
    });
  });

  it('a slow reply does not move the offset', () => {
    const fast = nextClockEstimate(unknown, { serverNow: 1_020 + HOUR, sentAt: 1_000, receivedAt: 1_040 });
    // A 2,000-pid approve: 2 s in the orchestrator, stamped when it was done (just before the reply).
    expect(nextClockEstimate(fast, { serverNow: 7_000 + HOUR, sentAt: 5_000, receivedAt: 7_010 })).toBe(fast);
    // A faster reply is a better reading and replaces it.
    expect(nextClockEstimate(fast, { serverNow: 9_010 + HOUR + 3, sentAt: 9_000, receivedAt: 9_020 })).toEqual({
      offsetMs: HOUR + 3,
      known: true,
      rttMs: 20,
      at: 9_020,
    });
  });

  it('lets an ordinary reply replace a reading that has grown old', () => {
    const fast = nextClockEstimate(unknown, { serverNow: 1_020 + HOUR, sentAt: 1_000, receivedAt: 1_040 });
    const later = (min: number) => 1_040 + min * 60_000;
    const ordinary = (at: number) => ({ serverNow: at - 50 + HOUR + 7, sentAt: at - 100, receivedAt: at });
    expect(nextClockEstimate(fast, ordinary(later(0.5)))).toBe(fast);
    const minutes = Math.ceil((100 - 40) / READING_AGING_MS_PER_MIN) + 1;
    expect(nextClockEstimate(fast, ordinary(later(minutes)))).toMatchObject({ offsetMs: HOUR + 7, rttMs: 100 });
  });

  it('follows a slow reply that cannot agree with the kept reading: a clock was changed', () => {
    const fast = nextClockEstimate(unknown, { serverNow: 1_020 + HOUR, sentAt: 1_000, receivedAt: 1_040 });
    const moved = nextClockEstimate(fast, { serverNow: 7_000 + HOUR + 10 * 60_000, sentAt: 5_000, receivedAt: 7_010 });
    expect(moved).toMatchObject({ offsetMs: HOUR + 10 * 60_000 + 995, rttMs: 2_010 });
  });
});

describe('the clock slice', () => {
  beforeEach(() => resetStores());

  it('notifies no one when a reply is no better than the kept reading', () => {
    const { observeServerTime } = usePanel.getState();
    observeServerTime({ serverNow: 1_020 + HOUR, sentAt: 1_000, receivedAt: 1_040 });
    const before = usePanel.getState();
    let notified = 0;
    const unsubscribe = usePanel.subscribe(() => {
      notified++;
    });
    observeServerTime({ serverNow: 7_000 + HOUR, sentAt: 5_000, receivedAt: 7_010 });
    observeServerTime({ serverNow: 7_100 + HOUR, receivedAt: 7_200 });
    unsubscribe();
    expect(notified).toBe(0);
    expect(usePanel.getState().clock).toBe(before.clock);
    expect(usePanel.getState().clock.offsetMs).toBe(HOUR);
  });
});
