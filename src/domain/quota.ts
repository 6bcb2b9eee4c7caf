/**
 * The workspace's per-user limit (seed 000): 1,000 leads and contacts created a month per user. Counted
 * per UTC month; reserving is atomic, so parallel requests cannot together pass the limit.
 */
export const MONTHLY_CREATION_QUOTA = 1_000;

export interface QuotaReservation {
  /** False when `used + count` would pass the limit; nothing was counted then. */
  readonly allowed: boolean;
  /** The month's total after this call. */
  readonly used: number;
}

export interface QuotaUsageRepository {
  /** Counts `count` more for `userId` in `month` (YYYY-MM), unless that would pass `limit`. */
  add(userId: string, month: string, count: number, limit: number): Promise<QuotaReservation>;
  get(userId: string, month: string): Promise<number>;
}

/** The UTC month of an instant, as quota rows key it. */
export const quotaMonthOf = (instant: Date): string => instant.toISOString().slice(0, 7);
