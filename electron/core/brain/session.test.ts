import { describe, expect, it } from 'vitest';
import type { PeerSession } from '../transport/types.js';
import { Session } from './session.js';

const peer = { name: 'unity', roles: ['target'], closed: false } as unknown as PeerSession;
const quarantined = { name: 'unity', trust: 10, quarantineUntil: 10_000, panic: null };

describe('which target takes transactions', () => {
  it('a quarantined target takes them (it is read-only for its own writes), but not while busy or with its breaker open', () => {
    const s = new Session(peer, 0);
    s.seen = true;
    expect(s.state(quarantined, 5_000)).toBe('QUARANTINED');
    expect(s.dispatchable(quarantined, 5_000)).toBe(true);
    s.busy = true;
    expect(s.dispatchable(quarantined, 5_000)).toBe(false);
    s.busy = false;
    s.breakerOpen = true;
    expect(s.dispatchable(quarantined, 5_000)).toBe(false);
    expect(s.dispatchable(undefined, 5_000)).toBe(false); // DEGRADED
    s.breakerOpen = false;
    expect(s.dispatchable(undefined, 5_000)).toBe(true);
  });
});
