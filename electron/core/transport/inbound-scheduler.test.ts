import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { InboundScheduler } from './inbound-scheduler.js';
import { gate, recordingLane, tick } from '../../../test/support/scheduler-lanes.js';

describe('InboundScheduler: fair turns and bounded queues', () => {
  it('a quiet connection waits for one turn, not behind a flooder’s whole queue', async () => {
    const s = new InboundScheduler({ maxInflight: 1, maxQueuedFrames: 1000, maxQueuedBytes: 1e9, maxTotalBytes: 1e9 });
    const log: string[] = [];
    const flood = recordingLane(s, 'flood', log);
    const quiet = recordingLane(s, 'quiet', log);
    const gates = Array.from({ length: 50 }, gate);
    gates.forEach((g, i) => flood.push(String(i), 1, g.p));
    quiet.push('0');
    expect(log).toEqual(['flood:0']); // one in flight
    gates[0]!.open();
    await tick();
    gates[1]!.open();
    await tick();
    // the flooder's next frame had its turn queued before the quiet frame arrived; then the quiet
    // frame runs, before the flooder's third of 50
    expect(log.slice(0, 3)).toEqual(['flood:0', 'flood:1', 'quiet:0']);
    for (const g of gates) g.open();
  });

  it('a drain starts frames for at most sliceMs, then yields to the event loop: a quiet frame read meanwhile gets its turn', () => {
    let now = 100;
    let resume: (() => void) | null = null;
    const s = new InboundScheduler(
      { maxInflight: 64, maxQueuedFrames: 1000, maxQueuedBytes: 1e9, maxTotalBytes: 1e9, sliceMs: 4, interactiveDepth: 1000 },
      {
        now: () => now,
        timer: () => () => {},
        yieldLoop: (fn) => {
          resume = fn;
          return () => (resume = null);
        },
      },
    );
    const burst = s.lane({ pause: () => {}, resume: () => {} });
    // a burst of work queued while a drain is running: pushed inside the first frame's run
    const started: string[] = [];
    const quiet = s.lane({ pause: () => {}, resume: () => {} });
    s.push(burst, 1, () => {
      for (let i = 0; i < 20; i++)
        s.push(burst, 1, () => {
          started.push(`burst:${i}`);
          now += 1;
          return new Promise<void>(() => {});
        });
      now += 1;
      return new Promise<void>(() => {});
    });
    // the first drain started frames until its 4 ms were spent, then asked to go on after the event loop
    expect(started.length).toBeLessThanOrEqual(4);
    expect(resume).not.toBeNull();
    // a quiet frame read from its socket in that event-loop turn is not started inside the spent drain
    s.push(quiet, 1, () => {
      started.push('quiet:0');
    });
    expect(started).not.toContain('quiet:0');
    const first = started.length;
    const go = resume!;
    resume = null;
    go();
    // the next drain: the quiet lane's turn comes before the burst's rest
    expect(started.slice(first, first + 2)).toContain('quiet:0');
  });

  it('keeps each connection’s frames in order', async () => {
    const s = new InboundScheduler({ maxInflight: 4, maxQueuedFrames: 1000, maxQueuedBytes: 1e9, maxTotalBytes: 1e9 });
    const log: string[] = [];
    const a = recordingLane(s, 'a', log);
    const b = recordingLane(s, 'b', log);
    for (let i = 0; i < 20; i++) {
      a.push(String(i), 1, Promise.resolve());
      b.push(String(i), 1, Promise.resolve());
    }
    for (let i = 0; i < 50; i++) await tick();
    expect(log.filter((l) => l.startsWith('a:'))).toEqual(Array.from({ length: 20 }, (_, i) => `a:${i}`));
    expect(log.filter((l) => l.startsWith('b:'))).toEqual(Array.from({ length: 20 }, (_, i) => `b:${i}`));
  });

  it('pauses a connection whose queue is full (flooded), and resumes it once drained to half', async () => {
    const s = new InboundScheduler({ maxInflight: 1, maxQueuedFrames: 10, maxQueuedBytes: 1e9, maxTotalBytes: 1e9 });
    const log: string[] = [];
    const a = recordingLane(s, 'a', log);
    const quiet = recordingLane(s, 'quiet', log);
    const gates = Array.from({ length: 12 }, gate);
    a.push('0', 1, gates[0]!.p); // in flight
    quiet.push('0', 1, Promise.resolve()); // waits its turn: someone else is kept waiting
    gates.slice(1).forEach((g, i) => a.push(String(i + 1), 1, g.p));
    expect(a.events).toEqual(['pause', 'flooded']);
    expect(quiet.events).toEqual([]);
    expect(a.lane.waiting).toBe(11);
    for (let i = 0; i < 8; i++) {
      gates[i]!.open();
      await tick();
    }
    expect(a.events).toEqual(['pause', 'flooded', 'resume']);
    for (const g of gates) g.open();
  });

  it('a connection alone, filled because the orchestrator is slow, is paused but not blamed', () => {
    const s = new InboundScheduler({ maxInflight: 1, maxQueuedFrames: 4, maxQueuedBytes: 1e9, maxTotalBytes: 1e9 });
    const a = recordingLane(s, 'a', []);
    const g = gate();
    for (let i = 0; i < 6; i++) a.push(String(i), 1, g.p);
    expect(a.events).toEqual(['pause']);
    g.open();
  });

  it('bounds bytes over all connections: the one adding past the total is paused, and resumed when the total falls', async () => {
    const s = new InboundScheduler({ maxInflight: 1, maxQueuedFrames: 1000, maxQueuedBytes: 1e9, maxTotalBytes: 100 });
    const log: string[] = [];
    const big = recordingLane(s, 'big', log);
    const small = recordingLane(s, 'small', log);
    const g0 = gate();
    big.push('0', 1, g0.p); // in flight
    const gates = Array.from({ length: 3 }, gate);
    gates.forEach((g, i) => big.push(String(i + 1), 30, g.p));
    expect(s.queuedBytes).toBe(90);
    small.push('0', 20);
    expect(small.events).toEqual(['pause']); // not flooded: its own queue is small
    g0.open();
    await tick();
    for (const g of gates) {
      g.open();
      await tick();
    }
    await tick();
    expect(small.events).toEqual(['pause', 'resume']);
    expect(s.queuedBytes).toBe(0);
  });

  it('drops what a closed connection still had waiting and frees its bytes', () => {
    const s = new InboundScheduler({ maxInflight: 1, maxQueuedFrames: 1000, maxQueuedBytes: 1e9, maxTotalBytes: 1e9 });
    const log: string[] = [];
    const a = recordingLane(s, 'a', log);
    const g = gate();
    a.push('0', 5, g.p);
    a.push('1', 5);
    a.push('2', 5);
    expect(s.queuedBytes).toBe(10);
    s.close(a.lane);
    expect(s.queuedBytes).toBe(0);
    g.open();
    expect(log).toEqual(['a:0']);
  });
});

describe('InboundScheduler: barrier frames', () => {
  it("a barrier frame runs alone in its lane: the lane's next frame starts only after it settles, other lanes go on", async () => {
    const s = new InboundScheduler({ maxInflight: 64, maxQueuedFrames: 1000, maxQueuedBytes: 1e9, maxTotalBytes: 1e9 });
    const log: string[] = [];
    const a = s.lane({ pause: () => undefined, resume: () => undefined });
    const b = recordingLane(s, 'b', log);
    const g = gate();
    s.push(
      a,
      1,
      () => {
        log.push('a:snapshot');
        return g.p;
      },
      true,
    );
    s.push(a, 1, () => void log.push('a:mutation'));
    b.push('0');
    await tick();
    expect(log).toEqual(['a:snapshot', 'b:0']);
    g.open();
    await tick();
    expect(log).toEqual(['a:snapshot', 'b:0', 'a:mutation']);
  });

  it('a barrier that settles at once (no promise) does not block its lane', () => {
    const s = new InboundScheduler({ maxInflight: 64, maxQueuedFrames: 1000, maxQueuedBytes: 1e9, maxTotalBytes: 1e9 });
    const log: string[] = [];
    const a = s.lane({ pause: () => undefined, resume: () => undefined });
    s.push(a, 1, () => void log.push('first'), true);
    s.push(a, 1, () => void log.push('second'));
    expect(log).toEqual(['first', 'second']);
  });
});

describe('InboundScheduler: memory', () => {
  it('keeps nothing of a closed connection once its frames are done (its hooks, and the socket they hold, can be collected)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const s = new InboundScheduler({ maxInflight: 2 });
    const held: WeakRef<object>[] = [];
    for (let i = 0; i < 300; i++) {
      // what a connection's hooks close over in adapter-server.ts: its socket and session
      const connection = { socket: new Uint8Array(1024) };
      const hooks = { pause: () => void connection, resume: () => void connection };
      held.push(new WeakRef(connection));
      const lane = s.lane(hooks);
      s.push(lane, 10, async () => {});
      await tick();
      s.close(lane);
    }
    await tick();
    gc();
    await tick();
    gc();
    expect(held.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
    expect(s.queuedBytes).toBe(0);
  });
});
