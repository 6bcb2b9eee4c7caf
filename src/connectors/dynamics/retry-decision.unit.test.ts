import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseRetryAfter,
  planRetry,
  type AttemptOutcome,
  type RetryPolicy,
} from './retry-decision.js';
import {
  classifyTransportError,
  RequestTimeoutError,
  type TransportFailureKind,
} from './transport-failure.js';

const response = (
  status: number,
  extra: Partial<AttemptOutcome & { kind: 'response' }> = {},
): AttemptOutcome => ({
  kind: 'response',
  status,
  ...extra,
});
const transport = (kind: TransportFailureKind, code: string): AttemptOutcome => ({
  kind: 'transport',
  failure: { kind, code, message: code },
});

describe('isRetryable', () => {
  it.each<[string, AttemptOutcome, boolean]>([
    ['429 service protection', response(429, { code: '0x80072322' }), true],
    ['429 concurrency', response(429, { code: '0x80072326' }), true],
    ['500 unexpected error', response(500, { code: '0x80040216' }), true],
    ['502 bad gateway', response(502), true],
    ['503 front end page', response(503), true],
    ['504 gateway timeout', response(504), true],
    ['408 request timeout', response(408), true],
    ['400 validation', response(400, { code: '0x80044331' }), false],
    ['401 expired token (refreshed, not retried)', response(401), false],
    ['403 privilege', response(403, { code: '0x80040220' }), false],
    ['404 not found', response(404, { code: '0x80040217' }), false],
    ['405 method', response(405), false],
    ['412 duplicate', response(412, { code: '0x80040237' }), false],
    ['412 concurrency mismatch', response(412, { code: '0x80060882' }), false],
    ['413 too large', response(413), false],
    ['501 not implemented', response(501), false],
    ['timeout', transport('timeout', 'UND_ERR_HEADERS_TIMEOUT'), true],
    ['refused', transport('refused', 'ECONNREFUSED'), true],
    ['reset', transport('reset', 'ECONNRESET'), true],
    ['socket closed', transport('reset', 'UND_ERR_SOCKET'), true],
    ['temporary DNS failure', transport('dns_temporary', 'EAI_AGAIN'), true],
    ['unknown host', transport('dns', 'ENOTFOUND'), false],
    ['untrusted certificate', transport('tls', 'SELF_SIGNED_CERT_IN_CHAIN'), false],
    ['anything else', transport('other', 'ERR_INVALID_URL'), false],
  ])('%s → %s', (_name, outcome, expected) => {
    expect(isRetryable(outcome)).toBe(expected);
  });
});

describe('classifyTransportError', () => {
  const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
  it.each<[string, unknown, TransportFailureKind, string]>([
    ['a plain socket error', withCode('ECONNREFUSED'), 'refused', 'ECONNREFUSED'],
    [
      'fetch wrapping it',
      new TypeError('fetch failed', { cause: withCode('ECONNRESET') }),
      'reset',
      'ECONNRESET',
    ],
    ['happy eyeballs', new AggregateError([withCode('ECONNREFUSED')]), 'refused', 'ECONNREFUSED'],
    ['undici headers timeout', withCode('UND_ERR_HEADERS_TIMEOUT'), 'timeout', 'UND_ERR_HEADERS_TIMEOUT'],
    ['our own timer', new RequestTimeoutError(100), 'timeout', 'ETIMEDOUT'],
    ['DNS', withCode('ENOTFOUND'), 'dns', 'ENOTFOUND'],
    ['TLS', withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    [
      'an OpenSSL code',
      withCode('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'),
      'tls',
      'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    ],
    ['unknown', new Error('boom'), 'other', 'Error'],
  ])('%s', (_name, error, kind, code) => {
    expect(classifyTransportError(error)).toMatchObject({ kind, code });
  });
});

describe('backoffDelayMs (full jitter)', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  it.each([
    [1, 0.999, 99],
    [2, 0.999, 199],
    [3, 0.5, 200],
    [4, 0.999, 799],
    [5, 0.999, 999],
    [12, 0.999, 999],
    [3, 0, 0],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, policy, () => random)).toBe(expected);
  });

  it('spreads waits over the whole interval', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const waits = Array.from({ length: 2000 }, () => backoffDelayMs(4, policy, random));
    expect(Math.min(...waits)).toBeLessThan(40);
    expect(Math.max(...waits)).toBeGreaterThan(760);
  });
});

describe('planRetry', () => {
  const policy: RetryPolicy = {
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    maxRetryAfterMs: 60_000,
    maxElapsedMs: 120_000,
  };
  const half = () => 0.5;
  it.each<[string, AttemptOutcome, number, number, ReturnType<typeof planRetry>]>([
    [
      'honours Retry-After exactly',
      response(429, { retryAfterMs: 7000 }),
      1,
      0,
      { retry: true, delayMs: 7000, honoursRetryAfter: true },
    ],
    ['backs off on 503', response(503), 2, 0, { retry: true, delayMs: 100, honoursRetryAfter: false }],
    [
      'backs off on a 429 without Retry-After',
      response(429),
      1,
      0,
      { retry: true, delayMs: 50, honoursRetryAfter: false },
    ],
    [
      'backs off on a timeout',
      transport('timeout', 'ETIMEDOUT'),
      3,
      0,
      { retry: true, delayMs: 200, honoursRetryAfter: false },
    ],
    ['never retries a 400', response(400), 1, 0, { retry: false, reason: 'not_retryable' }],
    ['stops after the last attempt', response(500), 4, 0, { retry: false, reason: 'attempts_exhausted' }],
    [
      'does not sleep through a long Retry-After',
      response(429, { retryAfterMs: 61_000 }),
      1,
      0,
      { retry: false, reason: 'retry_after_too_long' },
    ],
    [
      'stops when time runs out',
      response(429, { retryAfterMs: 30_000 }),
      2,
      100_000,
      { retry: false, reason: 'time_exhausted' },
    ],
  ])('%s', (_name, outcome, attempt, elapsedMs, plan) => {
    expect(planRetry(outcome, { attempt, elapsedMs }, policy, half)).toEqual(plan);
  });

  it('has defaults that ride out a 5-minute service-protection window', () => {
    expect(DEFAULT_RETRY_POLICY.maxRetryAfterMs).toBeGreaterThanOrEqual(300_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-01T10:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    ['5', 5000],
    ['0', 0],
    ['1.5', 1500],
    [' 300 ', 300_000],
    ['Fri, 01 May 2026 10:00:30 GMT', 30_000],
    ['Fri, 01 May 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
