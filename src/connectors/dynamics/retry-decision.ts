import type { TransportFailure } from './transport-failure.js';

/**
 * How one attempt at a Dataverse request ended, as the retry decision and the error mapping see it:
 * either an HTTP answer that was not a success, or no answer at all.
 */
export type AttemptOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      /** `error.code` of Dataverse's JSON body, e.g. `0x80072322`. */
      readonly code?: string;
      readonly message?: string;
      /** `Retry-After`, in milliseconds. */
      readonly retryAfterMs?: number;
      readonly requestId?: string;
    }
  | { readonly kind: 'transport'; readonly failure: TransportFailure };

/** Status codes that say "not now" rather than "not this request" (429 service protection, 5xx). */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The one decision "can trying the same request again help?" (Twenty keeps it as one small pure
 * function too). Throttling, server errors, timeouts and broken or refused connections are temporary;
 * a 4xx is the request's own fault, an unknown host or an untrusted certificate a configuration fault.
 * 401 is not retryable here: the client refreshes the token once, which is a different remedy.
 */
export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'response') return TRANSIENT_STATUSES.has(outcome.status);
  switch (outcome.failure.kind) {
    case 'timeout':
    case 'refused':
    case 'reset':
    case 'dns_temporary':
      return true;
    case 'dns':
    case 'tls':
    case 'other':
      return false;
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  /** First backoff bound; it doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is not slept through: the call fails with `retryAt` instead. */
  readonly maxRetryAfterMs: number;
  /** No retry starts once this much time went by since the first attempt (waits included). */
  readonly maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  maxElapsedMs: 10 * 60_000,
};

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a
 * uniformly random wait in [0, min(max, base · 2^(attempt-1))), so many clients that failed together
 * do not retry together. `attempt` is the attempt that just failed, from 1.
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * bound);
}

export type RetryPlan =
  | { readonly retry: true; readonly delayMs: number; readonly honoursRetryAfter: boolean }
  | {
      readonly retry: false;
      readonly reason: 'not_retryable' | 'attempts_exhausted' | 'time_exhausted' | 'retry_after_too_long';
    };

/**
 * What to do after attempt `attempt` failed with `outcome`, `elapsedMs` after the first one started.
 * A `Retry-After` from the service is honoured exactly (service protection says: wait that long, and
 * retrying earlier only extends the penalty); otherwise the backoff above.
 */
export function planRetry(
  outcome: AttemptOutcome,
  state: { readonly attempt: number; readonly elapsedMs: number },
  policy: RetryPolicy,
  random: () => number,
): RetryPlan {
  if (!isRetryable(outcome)) return { retry: false, reason: 'not_retryable' };
  if (state.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const retryAfterMs = outcome.kind === 'response' ? outcome.retryAfterMs : undefined;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs)
    return { retry: false, reason: 'retry_after_too_long' };
  const delayMs = retryAfterMs ?? backoffDelayMs(state.attempt, policy, random);
  if (state.elapsedMs + delayMs > policy.maxElapsedMs) return { retry: false, reason: 'time_exhausted' };
  return { retry: true, delayMs, honoursRetryAfter: retryAfterMs !== undefined };
}

/**
 * `Retry-After` as Dataverse sends it (whole seconds; HTTP also allows an HTTP date), in milliseconds.
 * Unparseable values count as absent.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
