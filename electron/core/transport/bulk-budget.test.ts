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
});
