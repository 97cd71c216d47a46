// Valid traffic cannot starve the orchestrator (issue 9, item 6): ten flooders send valid batch
// frames as fast as their sockets take them, beside a healthy source → target pair. Every
// connection gets its turn (each flooder is acked, the pair's every frame is acked and committed),
// the inbound queue stays within its configured bound (sockets are paused, not buffered), and a
// sustained flood costs the flooder trust. Speed is in `npm run bench -- flood`.
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './support/harness.js';
import { runFlood } from './support/flood.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stopAll();
  h = null;
});

describe('ten valid flooders beside a healthy pair', () => {
  it('every connection is served, the inbound queue stays bounded, and flooding costs trust', async () => {
    const maxTotalBytes = 256 * 1024;
    const r = await runFlood({
      flooders: 10,
      framesEach: 300,
      mutationsPerFrame: 10,
      pairFrames: 15,
      pairIntervalMs: 100,
      orchestrator: { scheduler: { maxInflight: 16, maxQueuedFrames: 32, maxQueuedBytes: 64 * 1024, maxTotalBytes } },
    });
    h = r.h;
    expect(r.pairAckMs).toHaveLength(15);
    expect(r.pairCommitted).toBeGreaterThan(0);
    for (const acks of r.floodAcks) expect(acks).toBeGreaterThan(0);
    // A paused socket may still hand over the frames already in its last read chunk.
    expect(r.maxQueuedBytes).toBeLessThanOrEqual(maxTotalBytes + 10 * 64 * 1024);
    // Flooding costs trust (Trust Depletion, reason "flood"); the healthy source loses none.
    expect(Math.min(...r.floodTrust)).toBeLessThan(50);
    expect(h.orch.brain.state.engines.get('blender')?.trust ?? 50).toBe(50);
    expect(h.orch.healthz()).toMatchObject({ orchestrator: 'RUNNING', panic: false });
  }, 120_000);
});
