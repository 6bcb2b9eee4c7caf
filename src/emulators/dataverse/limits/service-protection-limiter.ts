import type { EmulatorResponse } from '../protocol/emulator-request.js';
import { dataverseErrorResponse } from './dataverse-error-response.js';
import { serviceProtectionOptionsSchema, type ServiceProtectionOptions } from './limits-options-schema.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import {
  DEFAULT_LIMITS,
  serviceProtectionError,
  type LimitValues,
  type ServiceProtectionLimit,
} from './service-protection-errors.js';
import { SlidingWindow } from './sliding-window.js';

export interface Clock {
  /** Milliseconds; only differences matter. */
  now(): number;
}

/** Proof that a request was admitted; hand it back to {@link ServiceProtectionLimiter.end}. */
export interface LimiterTicket {
  readonly callerId: string;
  readonly id: number;
  readonly startedAtMs: number;
}

/** A refusal, ready to become a 429 (see {@link throttledResponse}). */
export interface ServiceProtectionDenial {
  readonly ok: false;
  readonly status: 429;
  readonly limit: ServiceProtectionLimit;
  /** Web API hex code, e.g. `0x80072322`. */
  readonly code: string;
  readonly message: string;
  /** Value for the `Retry-After` header, in whole seconds (≥ 1). */
  readonly retryAfterSeconds: number;
}

export type BeginResult = { readonly ok: true; readonly ticket: LimiterTicket } | ServiceProtectionDenial;

export interface RemainingBudget {
  /** Requests still admissible in the current window. */
  readonly requests: number;
  /** Combined execution time still available in the current window, in ms. */
  readonly executionMs: number;
}

interface CallerState {
  readonly window: SlidingWindow;
  readonly inFlight: Set<number>;
}

/** How many `begin` calls between sweeps of idle callers (keeps the caller map bounded too). */
const SWEEP_EVERY = 4096;

/**
 * Dataverse's service protection limits (docs/protocols/dataverse.md §4), evaluated per caller (a
 * systemuser id) over a sliding window:
 * - number of requests (default 6000 / 300 s) and combined execution time (default 1,200,000 ms / 300 s)
 *   are enforced *after* they are reached: a request is refused only when the window already holds the
 *   limit, so one that starts under the limit goes through even if it ends up pushing the total over;
 * - concurrency (default 52) is enforced immediately on the number of requests still in flight.
 *
 * Pure bookkeeping: the clock is injected, nothing is scheduled. Call `begin` when a request arrives and
 * `end` when it finishes. A `$batch` is one request for the count but its operations' time all counts (§4),
 * which falls out naturally when the HTTP layer calls `begin`/`end` once around the whole batch.
 */
export class ServiceProtectionLimiter {
  readonly limits: LimitValues;
  readonly off: boolean;
  private readonly callers = new Map<string, CallerState>();
  private nextTicketId = 1;
  private beginsSinceSweep = 0;

  constructor(
    options: ServiceProtectionOptions,
    private readonly clock: Clock,
  ) {
    const parsed = serviceProtectionOptionsSchema.parse(options);
    this.off = parsed.off ?? false;
    this.limits = {
      windowSeconds: parsed.windowSeconds ?? DEFAULT_LIMITS.windowSeconds,
      maxRequests: parsed.maxRequests ?? DEFAULT_LIMITS.maxRequests,
      maxExecutionMs: parsed.maxExecutionMs ?? DEFAULT_LIMITS.maxExecutionMs,
      maxConcurrent: parsed.maxConcurrent ?? DEFAULT_LIMITS.maxConcurrent,
    };
  }

  begin(callerId: string): BeginResult {
    const nowMs = this.clock.now();
    const ticket: LimiterTicket = { callerId, id: this.nextTicketId++, startedAtMs: nowMs };
    if (this.off) return { ok: true, ticket };

    const nowSecond = Math.floor(nowMs / 1000);
    const state = this.stateFor(callerId, nowSecond);
    const { window, inFlight } = state;
    const { maxRequests, maxExecutionMs, maxConcurrent } = this.limits;
    if (window.requests >= maxRequests) {
      return this.deny('requests', window.secondsUntilRequestsBelow(maxRequests, nowMs));
    }
    if (window.executionMs >= maxExecutionMs) {
      return this.deny('executionTime', window.secondsUntilExecutionBelow(maxExecutionMs, nowMs));
    }
    if (inFlight.size >= maxConcurrent) {
      // Nothing slides out for concurrency; a slot frees when any in-flight request ends.
      return this.deny('concurrency', 1);
    }
    window.addRequest(nowSecond);
    inFlight.add(ticket.id);
    this.maybeSweep(nowSecond);
    return { ok: true, ticket };
  }

  /**
   * Records that the request finished. `executionMs` defaults to the clock time since `begin`. Unknown or
   * already-ended tickets are ignored, so a double `end` cannot corrupt the concurrency count.
   */
  end(ticket: LimiterTicket, executionMs?: number): void {
    if (this.off) return;
    const state = this.callers.get(ticket.callerId);
    if (state === undefined || !state.inFlight.delete(ticket.id)) return;
    const nowMs = this.clock.now();
    const measured = executionMs ?? nowMs - ticket.startedAtMs;
    const ms = Number.isFinite(measured) && measured > 0 ? measured : 0;
    const nowSecond = Math.floor(nowMs / 1000);
    state.window.expire(nowSecond);
    if (ms > 0) state.window.addExecution(nowSecond, ms);
  }

  /** What is left of the caller's budget now (the full limits for a caller never seen, or when `off`). */
  remaining(callerId: string): RemainingBudget {
    const state = this.off ? undefined : this.callers.get(callerId);
    if (state === undefined)
      return { requests: this.limits.maxRequests, executionMs: this.limits.maxExecutionMs };
    state.window.expire(Math.floor(this.clock.now() / 1000));
    return {
      requests: Math.max(0, this.limits.maxRequests - state.window.requests),
      executionMs: Math.max(0, this.limits.maxExecutionMs - state.window.executionMs),
    };
  }

  /** `x-ms-ratelimit-burst-remaining-xrm-requests` and `x-ms-ratelimit-time-remaining-xrm-requests` (§4). */
  rateLimitHeaders(callerId: string): Record<string, string> {
    return rateLimitHeaders(this.remaining(callerId));
  }

  /** Bookkeeping size, for tests and diagnostics: tracked callers and their live one-second buckets. */
  stats(): { callers: number; buckets: number; inFlight: number } {
    let buckets = 0;
    let inFlight = 0;
    for (const state of this.callers.values()) {
      buckets += state.window.bucketCount;
      inFlight += state.inFlight.size;
    }
    return { callers: this.callers.size, buckets, inFlight };
  }

  private stateFor(callerId: string, nowSecond: number): CallerState {
    let state = this.callers.get(callerId);
    if (state === undefined) {
      state = { window: new SlidingWindow(this.limits.windowSeconds), inFlight: new Set() };
      this.callers.set(callerId, state);
    } else {
      state.window.expire(nowSecond);
    }
    return state;
  }

  private deny(limit: ServiceProtectionLimit, retryAfterSeconds: number): ServiceProtectionDenial {
    const error = serviceProtectionError(limit, this.limits);
    return { ok: false, status: 429, limit, code: error.code, message: error.message, retryAfterSeconds };
  }

  /** Forgets callers with nothing in flight and nothing left in their window. */
  private maybeSweep(nowSecond: number): void {
    if (++this.beginsSinceSweep < SWEEP_EVERY) return;
    this.beginsSinceSweep = 0;
    for (const [callerId, state] of this.callers) {
      state.window.expire(nowSecond);
      if (state.inFlight.size === 0 && state.window.isEmpty) this.callers.delete(callerId);
    }
  }
}

/**
 * The 429 the Web API returns for a denial: `Retry-After` in seconds and the standard error body with the
 * hex code (docs/protocols/dataverse.md §4).
 */
export function throttledResponse(denial: ServiceProtectionDenial): EmulatorResponse {
  return dataverseErrorResponse(429, denial.code, denial.message, {
    'Retry-After': String(denial.retryAfterSeconds),
  });
}
