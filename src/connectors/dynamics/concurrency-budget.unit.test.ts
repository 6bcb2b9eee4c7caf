import { describe, expect, it } from 'vitest';
import { ConcurrencyBudget } from './concurrency-budget.js';

describe('ConcurrencyBudget', () => {
  it('never lets more than the limit run at once and serves waiters in order', async () => {
    const budget = new ConcurrencyBudget(2);
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await budget.acquire();
        peak = Math.max(peak, budget.inFlight);
        await new Promise((r) => setTimeout(r, 5));
        order.push(i);
        release();
        release(); // a second release must not free another slot
      }),
    );
    expect(peak).toBe(2);
    expect(order).toHaveLength(6);
    expect(budget.inFlight).toBe(0);
  });
});
