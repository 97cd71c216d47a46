import { describe, expect, it } from 'vitest';
import { BulkBudget } from './bulk-budget.js';

const limits = { targetLatencyMs: 5, intervalMs: 100, minBulkDuty: 1 / 64, maxLoopBusy: 0.5 };

describe('BulkBudget: the loop-busy rule', () => {
  it('a flood with no interactive frame beside it may use the whole loop: the budget grows however busy the loop', () => {
    const b = new BulkBudget(limits, 56, () => 0.99, 0);
    const budgets: number[] = [];
    for (let i = 1; i <= 4; i++) {
      b.adjust(i * 100, i * 10, 1); // bulk ran in every interval, the loop 99 % busy, nobody else
      budgets.push(b.value);
    }
    expect(budgets).toEqual([2, 4, 8, 16]);
  });

  it('the same busy loop halves the budget once an interactive frame ran in the interval, and only then', () => {
    const b = new BulkBudget(limits, 56, () => 0.99, 0);
    b.adjust(100, 10, 1);
    b.adjust(200, 20, 1);
    expect(b.value).toBe(4);
    b.interactiveArrived(); // a quiet peer's frame: the saturated loop is now someone else's delay
    b.adjust(300, 30, 1);
    expect(b.value).toBe(2);
    b.adjust(400, 40, 1); // the next interval has no interactive frame again: growth resumes (by an eighth, at least 1)
    expect(b.value).toBe(3);
  });

  it('a loop under maxLoopBusy with an interactive frame beside the flood leaves the budget growing', () => {
    const b = new BulkBudget(limits, 56, () => 0.4, 0);
    b.interactiveArrived();
    b.adjust(100, 10, 1);
    b.interactiveArrived();
    b.adjust(200, 20, 1);
    expect(b.value).toBe(4);
  });

  it('after a run of halvings a duty cycle grows back by a quarter to half where the run began, then by 5 % per calm interval', () => {
    let busy = 0.9;
    const b = new BulkBudget(limits, 56, () => busy, 0);
    const cut: number[] = [];
    for (let i = 1; i <= 4; i++) {
      b.interactiveArrived(); // a quiet peer beside a saturated loop, four intervals running: one run from 1 frame
      b.adjust(i * 100, i * 10, 1);
      cut.push(b.value);
    }
    expect(cut).toEqual([0.5, 0.25, 0.125, 0.0625]);
    busy = 0.1;
    const grown: number[] = [];
    for (let i = 5; i <= 15; i++) {
      b.adjust(i * 100, i * 10, 1);
      grown.push(Math.round(b.value * 1e4) / 1e4);
    }
    // × 1.25 while under 0.5 (half of the 1 frame the run began at), then × 1.05
    expect(grown).toEqual([0.0781, 0.0977, 0.1221, 0.1526, 0.1907, 0.2384, 0.298, 0.3725, 0.4657, 0.5821, 0.6112]);
    // a single halving starts a new run at 0.6112: the way back from 0.3056 is slow at once
    busy = 0.9;
    b.interactiveArrived();
    b.adjust(1600, 160, 1);
    busy = 0.1;
    b.adjust(1700, 170, 1);
    expect(b.value).toBeCloseTo(0.6112 * 0.5 * 1.05, 4);
  });
});
