import { MONTHLY_CREATION_QUOTA, quotaMonthOf, type QuotaUsageRepository } from '../domain/quota.js';
import { LeadbridgeError } from '../shared/index.js';

export interface QuotaStatus {
  readonly month: string;
  readonly used: number;
  readonly limit: number;
  readonly remaining: number;
}

/**
 * The per-user monthly limit on leads and contacts a person creates themselves (seed 000: 1,000 a
 * month through the workspace). Reserving happens before the CRM write, atomically in the store; a
 * refusal is `quota_exceeded` with the count and when it resets. Captured and imported leads are the
 * organisation's, not a person's, and do not count.
 */
export class CreationQuota {
  private readonly now: () => Date;
  private readonly limit: number;

  constructor(
    private readonly usage: QuotaUsageRepository,
    options: { readonly limit?: number; readonly now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.limit = options.limit ?? MONTHLY_CREATION_QUOTA;
  }

  async reserve(userId: string, count = 1): Promise<QuotaStatus> {
    const month = quotaMonthOf(this.now());
    const reservation = await this.usage.add(userId, month, count, this.limit);
    if (!reservation.allowed)
      throw new LeadbridgeError(
        'quota_exceeded',
        `You have created ${reservation.used} of ${this.limit} this month; creating ${count} more would pass the limit. It resets on ${nextMonthStart(month)}.`,
      );
    return this.status(month, reservation.used);
  }

  async current(userId: string): Promise<QuotaStatus> {
    const month = quotaMonthOf(this.now());
    return this.status(month, await this.usage.get(userId, month));
  }

  private status(month: string, used: number): QuotaStatus {
    return { month, used, limit: this.limit, remaining: Math.max(0, this.limit - used) };
  }
}

function nextMonthStart(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 1)).toISOString().slice(0, 10);
}
