import { describe, expect, it } from 'vitest';
import { serviceProtectionOptionsSchema, type ServiceProtectionOptions } from './limits-options-schema.js';
import { formatTimeRemaining } from './rate-limit-headers.js';
import {
  ServiceProtectionLimiter,
  throttledResponse,
  type BeginResult,
  type LimiterTicket,
  type ServiceProtectionDenial,
} from './service-protection-limiter.js';

class FakeClock {
  constructor(public t = 0) {}
  now(): number {
    return this.t;
  }
  at(seconds: number): this {
    this.t = seconds * 1000;
    return this;
  }
}

function setup(options: ServiceProtectionOptions = {}, start = 0) {
  const clock = new FakeClock(start);
  return { clock, limiter: new ServiceProtectionLimiter(options, clock) };
}

function admitted(result: BeginResult): LimiterTicket {
  if (!result.ok) throw new Error(`expected admission, got ${result.code}: ${result.message}`);
  return result.ticket;
}

function denied(result: BeginResult): ServiceProtectionDenial {
  if (result.ok) throw new Error('expected a 429');
  return result;
}

/** One request that starts now and reports `ms` of execution time. */
function request(limiter: ServiceProtectionLimiter, caller: string, ms = 0): void {
  limiter.end(admitted(limiter.begin(caller)), ms);
}

describe('ServiceProtectionLimiter — number of requests', () => {
  it('admits exactly N requests and refuses request N+1 with the documented error', () => {
    const { limiter } = setup({ maxRequests: 3 });
    for (let i = 0; i < 3; i++) request(limiter, 'u1');
    expect(denied(limiter.begin('u1'))).toEqual({
      ok: false,
      status: 429,
      limit: 'requests',
      code: '0x80072322',
      message: 'Number of requests exceeded the limit of 3 over time window of 300 seconds.',
      retryAfterSeconds: 300,
    });
  });

  it('uses the real default text: 6000 requests over 300 seconds', () => {
    const { limiter } = setup();
    for (let i = 0; i < 6000; i++) request(limiter, 'u1');
    expect(denied(limiter.begin('u1')).message).toBe(
      'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
    );
  });

  it('restores capacity as requests slide out of the window', () => {
    const { clock, limiter } = setup({ maxRequests: 2, windowSeconds: 300 });
    request(limiter, 'u1');
    clock.at(100);
    request(limiter, 'u1');
    clock.at(299.999);
    expect(limiter.begin('u1').ok).toBe(false);
    clock.at(300); // the t=0 request slides out; the t=100 one is still counted
    request(limiter, 'u1');
    expect(limiter.begin('u1').ok).toBe(false);
    clock.at(400);
    request(limiter, 'u1');
    clock.at(1000);
    expect(limiter.remaining('u1').requests).toBe(2);
  });

  it('computes Retry-After as the time until the oldest counted second slides out', () => {
    const { clock, limiter } = setup({ maxRequests: 3 });
    request(limiter, 'u1');
    clock.at(10);
    request(limiter, 'u1');
    clock.at(20);
    request(limiter, 'u1');
    const cases: Array<[atSeconds: number, retryAfter: number]> = [
      [30, 270],
      [30.5, 270],
      [150.001, 150],
      [299.2, 1],
    ];
    for (const [at, retryAfter] of cases) {
      clock.at(at);
      expect(denied(limiter.begin('u1')).retryAfterSeconds, `at ${at}s`).toBe(retryAfter);
    }
  });

  it('does not count refused requests', () => {
    const { clock, limiter } = setup({ maxRequests: 1 });
    request(limiter, 'u1');
    for (let i = 0; i < 50; i++) expect(limiter.begin('u1').ok).toBe(false);
    clock.at(300);
    expect(limiter.begin('u1').ok).toBe(true);
  });
});

describe('ServiceProtectionLimiter — combined execution time', () => {
  it('admits a request that starts under the limit, then refuses once the limit is exceeded', () => {
    const { clock, limiter } = setup({ maxExecutionMs: 1000 });
    request(limiter, 'u1', 900);
    const long = admitted(limiter.begin('u1')); // 900 < 1000: goes through…
    clock.at(5);
    limiter.end(long, 5000); // …and overshoots, as the real service allows
    expect(limiter.remaining('u1').executionMs).toBe(0);
    expect(denied(limiter.begin('u1'))).toMatchObject({
      limit: 'executionTime',
      code: '0x80072321',
      message:
        'Combined execution time of incoming requests exceeded limit of 1,000  milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
    });
  });

  it('lets concurrent requests that all started under the limit overshoot it', () => {
    const { limiter } = setup({ maxExecutionMs: 1000 });
    const tickets = [
      admitted(limiter.begin('u1')),
      admitted(limiter.begin('u1')),
      admitted(limiter.begin('u1')),
    ];
    for (const ticket of tickets) limiter.end(ticket, 800);
    expect(limiter.begin('u1').ok).toBe(false);
  });

  it('uses the real default text for 1,200,000 ms', () => {
    const { limiter } = setup();
    request(limiter, 'u1', 1_200_000);
    expect(denied(limiter.begin('u1')).message).toBe(
      'Combined execution time of incoming requests exceeded limit of 1,200,000  milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
    );
  });

  it('computes Retry-After from enough execution time sliding out', () => {
    const { clock, limiter } = setup({ maxExecutionMs: 1000 });
    request(limiter, 'u1', 100); // second 0
    clock.at(1);
    request(limiter, 'u1', 100); // second 1
    clock.at(2);
    request(limiter, 'u1', 900); // second 2 → total 1100
    clock.at(10);
    // Dropping second 0 leaves 1000 (not below the limit); second 1 must go too: it slides out at 301 s.
    expect(denied(limiter.begin('u1')).retryAfterSeconds).toBe(291);
    clock.at(301);
    expect(limiter.begin('u1').ok).toBe(true);
  });

  it('measures execution time with the clock when the caller does not pass it', () => {
    const { clock, limiter } = setup();
    const ticket = admitted(limiter.begin('u1'));
    clock.t = 1234;
    limiter.end(ticket);
    expect(limiter.remaining('u1').executionMs).toBe(1_200_000 - 1234);
  });

  it('ignores nonsensical execution times', () => {
    const { limiter } = setup();
    request(limiter, 'u1', -5);
    request(limiter, 'u1', Number.NaN);
    request(limiter, 'u1', Number.POSITIVE_INFINITY);
    expect(limiter.remaining('u1').executionMs).toBe(1_200_000);
  });
});

describe('ServiceProtectionLimiter — concurrency', () => {
  it('refuses immediately above the limit and frees a slot on end', () => {
    const { limiter } = setup({ maxConcurrent: 2 });
    const first = admitted(limiter.begin('u1'));
    admitted(limiter.begin('u1'));
    expect(denied(limiter.begin('u1'))).toEqual({
      ok: false,
      status: 429,
      limit: 'concurrency',
      code: '0x80072326',
      message: 'Number of concurrent requests exceeded the limit of 2.',
      retryAfterSeconds: 1,
    });
    limiter.end(first, 10);
    expect(limiter.begin('u1').ok).toBe(true);
  });

  it('uses the real default text for 52', () => {
    const { limiter } = setup();
    for (let i = 0; i < 52; i++) admitted(limiter.begin('u1'));
    expect(denied(limiter.begin('u1')).message).toBe(
      'Number of concurrent requests exceeded the limit of 52.',
    );
  });

  it('ignores a second end for the same ticket', () => {
    const { limiter } = setup({ maxConcurrent: 2 });
    const a = admitted(limiter.begin('u1'));
    admitted(limiter.begin('u1'));
    limiter.end(a, 1);
    limiter.end(a, 1);
    admitted(limiter.begin('u1'));
    expect(limiter.begin('u1').ok).toBe(false);
    expect(limiter.remaining('u1').executionMs).toBe(1_200_000 - 1);
  });
});

describe('ServiceProtectionLimiter — isolation, off mode, headers, memory', () => {
  it('keeps each caller separate', () => {
    const { limiter } = setup({ maxRequests: 2, maxConcurrent: 1 });
    request(limiter, 'u1');
    request(limiter, 'u1');
    expect(limiter.begin('u1').ok).toBe(false);
    const held = admitted(limiter.begin('u2'));
    expect(denied(limiter.begin('u2')).limit).toBe('concurrency');
    expect(denied(limiter.begin('u1')).limit).toBe('requests');
    limiter.end(held, 0);
    expect(limiter.remaining('u2').requests).toBe(1);
    expect(limiter.remaining('u3')).toEqual({ requests: 2, executionMs: 1_200_000 });
  });

  it('admits everything and tracks nothing when off', () => {
    const { limiter } = setup({ off: true, maxRequests: 1, maxConcurrent: 1 });
    for (let i = 0; i < 10_000; i++) expect(limiter.begin('u1').ok).toBe(true);
    expect(limiter.remaining('u1')).toEqual({ requests: 1, executionMs: 1_200_000 });
    expect(limiter.stats()).toEqual({ callers: 0, buckets: 0, inFlight: 0 });
  });

  it('reports the debug headers in the real formats', () => {
    const { limiter } = setup();
    expect(limiter.rateLimitHeaders('u1')).toEqual({
      'x-ms-ratelimit-burst-remaining-xrm-requests': '6000',
      'x-ms-ratelimit-time-remaining-xrm-requests': '1,200.00',
    });
    request(limiter, 'u1', 540);
    expect(limiter.rateLimitHeaders('u1')).toEqual({
      'x-ms-ratelimit-burst-remaining-xrm-requests': '5999',
      'x-ms-ratelimit-time-remaining-xrm-requests': '1,199.46',
    });
    expect(limiter.stats().callers).toBe(1);
    limiter.remaining('never-seen');
    expect(limiter.stats().callers).toBe(1);
  });

  it.each([
    [1_200_000, '1,200.00'],
    [1_199_460, '1,199.46'],
    [1_199_999, '1,199.99'],
    [999, '0.99'],
    [0, '0.00'],
    [-5, '0.00'],
    [123_456_789, '123,456.78'],
  ])('formats %d ms remaining as %s', (ms, text) => {
    expect(formatTimeRemaining(ms)).toBe(text);
  });

  it('keeps memory bounded under a million requests from one caller', () => {
    const { clock, limiter } = setup({ maxRequests: 100_000_000, maxExecutionMs: 1e15 });
    for (let i = 0; i < 1_000_000; i++) {
      clock.t += 2; // 2 ms apart: 2000 simulated seconds
      request(limiter, 'u1', 1);
    }
    const stats = limiter.stats();
    expect(stats.buckets).toBeLessThanOrEqual(301);
    expect(stats.inFlight).toBe(0);
    // At t = 2000 s the window holds seconds 1701..2000: 299 full seconds at 500/s plus the one request at
    // exactly t = 2000 s.
    expect(limiter.remaining('u1').requests).toBe(100_000_000 - (299 * 500 + 1));
  });

  it('forgets idle callers', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 20_000; i++) request(limiter, `caller-${i}`);
    clock.at(301);
    for (let i = 0; i < 5000; i++) request(limiter, 'busy');
    expect(limiter.stats().callers).toBeLessThanOrEqual(1);
  });
});

describe('throttledResponse', () => {
  it('builds the Web API 429 with Retry-After and the hex code', () => {
    const { limiter } = setup({ maxRequests: 1 });
    request(limiter, 'u1');
    expect(throttledResponse(denied(limiter.begin('u1')))).toEqual({
      status: 429,
      headers: {
        'Content-Type': 'application/json; odata.metadata=minimal',
        'OData-Version': '4.0',
        'Retry-After': '300',
      },
      body: '{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 1 over time window of 300 seconds."}}',
    });
  });
});

describe('service protection options', () => {
  it.each<[string, unknown]>([
    ['zero requests', { maxRequests: 0 }],
    ['fractional window', { windowSeconds: 1.5 }],
    ['negative execution time', { maxExecutionMs: -1 }],
    ['unknown option', { maxRequest: 10 }],
  ])('rejects %s', (_name, options) => {
    expect(
      () => new ServiceProtectionLimiter(options as ServiceProtectionOptions, new FakeClock()),
    ).toThrow();
  });

  it('accepts the schema output as plain options', () => {
    const options: ServiceProtectionOptions = serviceProtectionOptionsSchema.parse({
      maxRequests: 10,
      windowSeconds: 60,
    });
    const limiter = new ServiceProtectionLimiter(options, new FakeClock());
    expect(limiter.limits).toEqual({
      windowSeconds: 60,
      maxRequests: 10,
      maxExecutionMs: 1_200_000,
      maxConcurrent: 52,
    });
  });
});
