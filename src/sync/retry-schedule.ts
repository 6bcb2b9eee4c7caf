/**
 * When a failed job runs again. Exponential backoff with full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter") spreads the retries of a whole batch that failed together, and a
 * server's Retry-After always wins when it asks for longer.
 */
export interface RetrySchedule {
  /** First delay; doubled per attempt. */
  readonly baseMs: number;
  /** Ceiling of one delay. */
  readonly maxMs: number;
  /** Attempts after which a record-level retryable failure becomes a dead letter. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { baseMs: 2_000, maxMs: 5 * 60_000, maxAttempts: 8 };

export function nextAttemptAt(
  attempts: number,
  now: Date,
  random: () => number,
  schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE,
  retryAfterMs?: number,
): Date {
  const ceiling = Math.min(schedule.maxMs, schedule.baseMs * 2 ** Math.max(0, attempts - 1));
  const delay = Math.max(Math.floor(random() * ceiling), retryAfterMs ?? 0);
  return new Date(now.getTime() + delay);
}
