/**
 * How many requests may be in flight to one environment, shared by everything in the process:
 * Dataverse refuses concurrent requests beyond 52 per user with 429 0x80072326, and several workers
 * each staying under the limit could still exceed it together.
 */
export class ConcurrencyBudget {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  /** Resolves with a release function once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

const budgets = new Map<string, ConcurrencyBudget>();

/** The process-wide budget of an environment (the first caller's limit wins). */
export function concurrencyBudgetFor(environmentUrl: string, limit: number): ConcurrencyBudget {
  let budget = budgets.get(environmentUrl);
  if (!budget) {
    budget = new ConcurrencyBudget(limit);
    budgets.set(environmentUrl, budget);
  }
  return budget;
}
