// Test support for the inbound scheduler's tests (inbound-scheduler*.test.ts): work a test settles by
// hand, one event-loop turn, and a lane that records what it ran and what it was told.
import type { InboundScheduler } from '../../electron/core/transport/inbound-scheduler.js';

/** Work that stays in flight until the test settles it. */
export function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}
export const tick = () => new Promise((r) => setImmediate(r));

export function recordingLane(s: InboundScheduler, name: string, log: string[]) {
  const events: string[] = [];
  const lane = s.lane({ pause: () => events.push('pause'), resume: () => events.push('resume'), flooded: () => events.push('flooded') });
  return {
    lane,
    events,
    push(label: string, bytes = 1, work?: Promise<void>) {
      s.push(lane, bytes, () => {
        log.push(`${name}:${label}`);
        return work;
      });
    },
  };
}
