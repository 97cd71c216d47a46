// The inbound scheduler's admission control (inbound-scheduler.ts): bulk frames (a connection with
// more than interactiveDepth outstanding) share a budget that shrinks while interactive frames beside
// them slow down or the event loop is busy, and grows back; interactive frames never wait for it.
import { describe, expect, it } from 'vitest';
import { InboundScheduler } from './inbound-scheduler.js';
import { gate, recordingLane, tick } from '../../../test/support/scheduler-lanes.js';

describe('InboundScheduler: admission control between bulk and interactive frames', () => {
  /** A clock the test moves by hand. */
  function manualClock() {
    let t = 0;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  }
  /** An event loop with room to spare: only interactive frames' latency moves the budget. */
  const idleLoop = () => 0.1;
  const limits = {
    maxInflight: 16,
    maxQueuedFrames: 1000,
    maxQueuedBytes: 1e9,
    maxTotalBytes: 1e9,
    targetLatencyMs: 5,
    intervalMs: 100,
    interactiveReserve: 4,
    interactiveDepth: 2,
  };

  it('a quiet connection’s frame starts at once while a flooder holds the whole bulk budget', () => {
    const s = new InboundScheduler(limits, { now: manualClock().now, busy: idleLoop });
    const log: string[] = [];
    const flood = recordingLane(s, 'flood', log);
    const quiet = recordingLane(s, 'quiet', log);
    const g = gate();
    for (let i = 0; i < 100; i++) flood.push(String(i), 1, g.p);
    expect(log).toHaveLength(3); // 2 while the lane was within interactiveDepth, then the bulk budget, which starts at one frame
    quiet.push('0', 1, g.p);
    expect(log.at(-1)).toBe('quiet:0');
    g.open();
  });

  it('halves the bulk budget while interactive frames beside bulk take over twice their solo time, and grows it back after', async () => {
    const clock = manualClock();
    const s = new InboundScheduler(limits, { now: clock.now, busy: idleLoop });
    const quiet = recordingLane(s, 'quiet', []);
    const flood = recordingLane(s, 'flood', []);
    // solo: interactive frames take 2 ms; the target stays at its 5 ms floor
    for (let i = 0; i < 20; i++) {
      const g = gate();
      quiet.push(`solo${i}`, 1, g.p);
      clock.advance(2);
      g.open();
      await tick();
    }
    expect(s.target).toBe(5);
    expect(s.bulkBudget).toBe(1); // no bulk work ran: nothing was learnt about its cost, the budget stays at its start
    // a flooder keeps bulk work in flight; calm intervals double the budget, up to the ceiling
    // (maxInflight − interactiveReserve)
    const floodGates: Array<() => void> = [];
    for (let i = 0; i < 200; i++) {
      const g = gate();
      floodGates.push(g.open);
      flood.push(String(i), 1, g.p);
    }
    const probed: number[] = [];
    for (let round = 0; round < 4; round++) {
      clock.advance(100);
      quiet.push(`probe${round}`, 1);
      probed.push(s.bulkBudget);
    }
    expect(probed).toEqual([2, 4, 8, 12]);
    // each interactive frame beside the flood takes 40 ms
    const budgets: number[] = [];
    for (let round = 0; round < 4; round++) {
      const g = gate();
      quiet.push(`busy${round}`, 1, g.p);
      clock.advance(40);
      g.open();
      await tick();
      clock.advance(70); // the interval ends
      quiet.push(`tick${round}`, 1); // anything that starts checks the interval
      budgets.push(s.bulkBudget);
    }
    expect(budgets).toEqual([6, 3, 1, 0.5]); // below one frame: a duty cycle
    // interactive frames are quick again: the budget grows by a quarter below one frame, then by an
    // eighth (at least one) per interval
    for (let round = 0; round < 6; round++) {
      const g = gate();
      quiet.push(`calm${round}`, 1, g.p);
      clock.advance(3);
      g.open();
      await tick();
      clock.advance(100);
      quiet.push(`tock${round}`, 1);
    }
    expect(s.bulkBudget).toBe(3); // 0.625, 0.78, 0.98, 1, 2, 3
    floodGates.forEach((open) => open());
  });

  it('below one frame, bulk work is paced: after a bulk frame of t ms the next waits t·(1/duty − 1) ms', async () => {
    const clock = manualClock();
    const wakes: Array<{ fn: () => void; ms: number }> = [];
    const s = new InboundScheduler(limits, {
      now: clock.now,
      busy: idleLoop,
      timer: (fn, ms) => {
        wakes.push({ fn, ms });
        return () => {};
      },
    });
    const log: string[] = [];
    const quiet = recordingLane(s, 'quiet', log);
    const flood = recordingLane(s, 'flood', log);
    const gates = Array.from({ length: 40 }, gate);
    gates.forEach((g, i) => flood.push(String(i), 1, g.p));
    // its first two frames were interactive (within interactiveDepth): they finish at once
    gates[0]!.open();
    gates[1]!.open();
    await tick();
    // interactive frames beside the flood take 40 ms: the budget halves each interval, below one
    for (let round = 0; s.bulkBudget >= 1 && round < 10; round++) {
      const g = gate();
      quiet.push(`busy${round}`, 1, g.p);
      clock.advance(40);
      g.open();
      await tick();
      clock.advance(70);
      quiet.push(`tick${round}`, 1);
    }
    expect(s.bulkBudget).toBe(0.5);
    // the bulk frames in flight since t = 0 finish now, at t = T: bulk has been in flight all along,
    // so at a duty of one half the next waits T ms, and starts on the wake-up
    const flooding = () => log.filter((l) => l.startsWith('flood:')).length;
    const started = flooding();
    const T = clock.now();
    for (let i = 2; i < started; i++) gates[i]!.open();
    await tick();
    expect(flooding()).toBe(started);
    expect(wakes.at(-1)!.ms).toBe(T);
    clock.advance(T);
    wakes.at(-1)!.fn();
    expect(flooding()).toBe(started + 1);
    // a calm interval passed meanwhile: the halvings began at one frame, so the duty is within half
    // of it and grows by 5 %, to 0.525. That frame takes 10 ms, so the next waits
    // 10 · (1/0.525 − 1) ≈ 9.05 ms (the timer rounds up, to 10), then starts on the wake-up
    expect(s.bulkBudget).toBeCloseTo(0.525, 12);
    clock.advance(10);
    gates[started]!.open();
    await tick();
    expect(flooding()).toBe(started + 1);
    expect(wakes.at(-1)!.ms).toBe(Math.ceil(10 * (1 / 0.525 - 1)));
    clock.advance(10);
    wakes.at(-1)!.fn();
    expect(flooding()).toBe(started + 2);
    // an interactive frame never waits for the pacing
    quiet.push('now', 1);
    expect(log.at(-1)).toBe('quiet:now');
    for (const g of gates) g.open();
  });

  it('a slow disk alone (no bulk work beside) raises the target, and throttles nobody', async () => {
    const clock = manualClock();
    const s = new InboundScheduler(limits, { now: clock.now, busy: idleLoop });
    const quiet = recordingLane(s, 'quiet', []);
    for (let i = 0; i < 100; i++) {
      const g = gate();
      quiet.push(String(i), 1, g.p);
      clock.advance(30);
      g.open();
      await tick();
    }
    expect(s.bulkBudget).toBe(1); // never halved
    expect(s.target).toBeGreaterThan(50); // twice a ~30 ms baseline
  });

  it('a connection with more than interactiveDepth frames outstanding waits for the bulk budget', () => {
    const s = new InboundScheduler({ ...limits, maxInflight: 6, interactiveReserve: 4 }, { now: manualClock().now, busy: idleLoop }); // bulk ceiling 2
    const log: string[] = [];
    const a = recordingLane(s, 'a', log);
    const g = gate();
    for (let i = 0; i < 10; i++) a.push(String(i), 1, g.p);
    // the first two frames were interactive (depth ≤ 2); after that the lane is bulk: one more, the budget's start
    expect(log).toEqual(['a:0', 'a:1', 'a:2']);
    g.open();
  });

  it('an event loop busy past maxLoopBusy while bulk work runs halves the budget; the same busy loop with no bulk beside throttles nobody', async () => {
    const clock = manualClock();
    let loop = 0.5;
    const s = new InboundScheduler({ ...limits, maxLoopBusy: 0.75 }, { now: clock.now, busy: () => loop });
    const quiet = recordingLane(s, 'quiet', []);
    const flood = recordingLane(s, 'flood', []);
    const g = gate();
    for (let i = 0; i < 100; i++) flood.push(String(i), 1, g.p);
    const budgets: number[] = [];
    const interval = (busy: number, label: string) => {
      loop = busy;
      clock.advance(100);
      quiet.push(label, 1); // interactive frames take no time: only the loop's share can halve the budget
      budgets.push(s.bulkBudget);
    };
    interval(0.5, 'calm');
    interval(0.9, 'full0');
    interval(0.9, 'full1');
    interval(0.5, 'calm');
    expect(budgets).toEqual([2, 1, 0.5, 0.625]);
    g.open();
    await tick();

    const alone = new InboundScheduler({ ...limits, maxLoopBusy: 0.75 }, { now: clock.now, busy: () => 0.95 });
    const only = recordingLane(alone, 'only', []);
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      only.push(String(i), 1);
    }
    expect(alone.bulkBudget).toBe(1);
  });

  it('paced bulk work is always woken: on a loaded CPU the pacing may end between the check and the wake-up, and the flood still drains', () => {
    // A loaded CPU: time moves on every reading, by `step`, and each bulk frame takes `work` ms. All
    // sockets are paused (nothing else will push), so only the scheduler's own wake-up can start the
    // next bulk frame once the pacing holds one back.
    for (const step of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1]) {
      for (const work of [0, 0.1, 0.25, 0.5, 1, 2]) {
        let t = 0;
        const wakes: Array<{ fn: () => void; ms: number }> = [];
        const s = new InboundScheduler(
          { ...limits, sliceMs: 1e9, maxLoopBusy: 0.75 },
          {
            now: () => (t += step),
            busy: () => 1,
            timer: (fn, ms) => {
              const w = { fn, ms };
              wakes.push(w);
              return () => wakes.splice(wakes.indexOf(w), 1);
            },
          },
        );
        const log: string[] = [];
        const lane = s.lane({ pause: () => {}, resume: () => {} });
        const frame = (i: number, ms: number) => () => {
          log.push(String(i));
          t += ms;
        };
        // twenty frames read in one chunk, each settling at once; the first bulk one spends a
        // saturated interval, which halves the budget below one frame
        s.push(lane, 1, () => {
          frame(0, 0)();
          s.push(lane, 1, frame(1, 150));
          for (let i = 2; i < 20; i++) s.push(lane, 1, frame(i, work));
        });
        for (let n = 0; n < 100 && wakes.length > 0; n++) {
          const w = wakes.shift()!;
          t += w.ms;
          w.fn();
        }
        expect(s.bulkBudget, `step ${step}, work ${work}`).toBeLessThan(1);
        expect(log, `step ${step}, work ${work}`).toHaveLength(20);
      }
    }
  });
});
