import { describe, expect, it } from 'vitest';
import { ConcurrencyBudget, ConcurrencyBudgetRegistry } from './concurrency-budget.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyBudget', () => {
  it('never lets more than the limit in, and serves waiters in order', async () => {
    const budget = new ConcurrencyBudget(2);
    const order: number[] = [];
    const releases = await Promise.all([budget.acquire(), budget.acquire()]);
    const waiting = [3, 4, 5].map((n) => budget.acquire().then((release) => (order.push(n), release)));
    await tick();
    expect(budget.inFlight).toBe(2);
    expect(budget.queued).toBe(3);
    releases[0]?.();
    await tick();
    expect(order).toEqual([3]);
    expect(budget.inFlight).toBe(2);
    releases[1]?.();
    releases[1]?.(); // a second release of the same slot is ignored
    await tick();
    expect(order).toEqual([3, 4]);
    for (const release of await Promise.all(waiting.slice(0, 2))) release();
    await tick();
    (await waiting[2])?.();
    expect(budget.inFlight).toBe(0);
    expect(budget.peakInFlight).toBe(2);
  });

  it('keeps the limit under a storm of short tasks', async () => {
    const budget = new ConcurrencyBudget(3);
    let running = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const release = await budget.acquire();
        running++;
        max = Math.max(max, running);
        await new Promise((resolve) => setTimeout(resolve, i % 3));
        running--;
        release();
      }),
    );
    expect(max).toBe(3);
    expect(budget.peakInFlight).toBe(3);
    expect(budget.inFlight).toBe(0);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new ConcurrencyBudget(0)).toThrow(RangeError);
    expect(() => new ConcurrencyBudget(1.5)).toThrow(RangeError);
  });
});

describe('ConcurrencyBudgetRegistry', () => {
  it('shares one budget per environment, whatever the path or case', () => {
    const registry = new ConcurrencyBudgetRegistry(10);
    const a = registry.budgetFor('https://contoso.crm.dynamics.com/');
    expect(registry.budgetFor('https://CONTOSO.crm.dynamics.com/api/data/v9.2/')).toBe(a);
    expect(registry.budgetFor('https://fabrikam.crm.dynamics.com/')).not.toBe(a);
    expect(a.limit).toBe(10);
  });

  it('lets the strictest limit win', () => {
    const registry = new ConcurrencyBudgetRegistry();
    const budget = registry.budgetFor('https://contoso.crm.dynamics.com/', 8);
    registry.budgetFor('https://contoso.crm.dynamics.com/', 4);
    registry.budgetFor('https://contoso.crm.dynamics.com/', 16);
    expect(budget.limit).toBe(4);
  });
});
