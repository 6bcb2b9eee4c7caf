/**
 * How many requests may be in flight to one environment, shared by everything in the process.
 * Dataverse refuses concurrent requests beyond 52 per user with 429 0x80072326 (docs/protocols/
 * dataverse.md §4): several workers each staying under the limit could still exceed it together, so
 * they all draw from one budget per environment.
 */
export class ConcurrencyBudget {
  private active = 0;
  private peak = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private currentLimit: number) {
    if (!Number.isInteger(currentLimit) || currentLimit < 1)
      throw new RangeError(`a concurrency budget needs a positive whole limit, not ${currentLimit}`);
  }

  get limit(): number {
    return this.currentLimit;
  }

  get inFlight(): number {
    return this.active;
  }

  /** The most requests that were ever in flight at once (for tests and diagnostics). */
  get peakInFlight(): number {
    return this.peak;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Lowers the limit (never raises it): the strictest configuration sharing a budget wins. */
  restrictTo(limit: number): void {
    if (Number.isInteger(limit) && limit >= 1 && limit < this.currentLimit) this.currentLimit = limit;
  }

  /** Resolves with a release function once a slot is free; waiters are served first come, first served. */
  async acquire(): Promise<() => void> {
    if (this.active < this.currentLimit && this.waiting.length === 0) this.active++;
    // A releasing holder hands its slot straight to the first waiter, so `active` already counts us.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.active <= this.currentLimit ? this.waiting.shift() : undefined;
      if (next !== undefined) next();
      else this.active--;
    };
  }
}

export const DEFAULT_CONCURRENCY_LIMIT = 48;

/**
 * One budget per environment URL. The app keeps one registry for the whole process
 * ({@link processConcurrencyBudgets}); tests make their own.
 */
export class ConcurrencyBudgetRegistry {
  private readonly budgets = new Map<string, ConcurrencyBudget>();

  constructor(private readonly defaultLimit = DEFAULT_CONCURRENCY_LIMIT) {}

  /** The budget of `environmentUrl` (`https://host/`); a smaller `limit` than the current one lowers it. */
  budgetFor(environmentUrl: string, limit?: number): ConcurrencyBudget {
    const key = new URL(environmentUrl).origin.toLowerCase();
    let budget = this.budgets.get(key);
    if (budget === undefined) {
      budget = new ConcurrencyBudget(limit ?? this.defaultLimit);
      this.budgets.set(key, budget);
    } else if (limit !== undefined) {
      budget.restrictTo(limit);
    }
    return budget;
  }
}

/** The process-wide registry every Dataverse client uses unless given another. */
export const processConcurrencyBudgets = new ConcurrencyBudgetRegistry();
