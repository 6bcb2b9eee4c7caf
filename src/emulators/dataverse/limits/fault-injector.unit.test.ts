import { describe, expect, it } from 'vitest';
import { seededRandom, type RandomSource } from '../../../shared/seeded-random.js';
import { FaultInjector, type FaultDecision, type FaultKind } from './fault-injector.js';
import type { FaultInjectionOptions } from './limits-options-schema.js';

/** Replays fixed values, failing loudly if more are drawn than expected. */
function scripted(...values: number[]): RandomSource & { calls: number } {
  const source = {
    calls: 0,
    random(): number {
      const value = values[source.calls++];
      if (value === undefined) throw new Error('random() drawn more often than expected');
      return value;
    },
  };
  return source;
}

const never: RandomSource = {
  random(): number {
    throw new Error('random() must not be drawn');
  },
};

describe('FaultInjector — latency', () => {
  it('does nothing and draws nothing by default', () => {
    const injector = new FaultInjector({}, never);
    expect(injector.inactive).toBe(true);
    expect(injector.decide()).toEqual({ delayMs: 0 });
  });

  it('applies a fixed latency', () => {
    const injector = new FaultInjector({ latencyMs: 250 }, never);
    expect(injector.inactive).toBe(false);
    expect(injector.decide()).toEqual({ delayMs: 250 });
  });

  it('draws a random latency in [min, max]', () => {
    const injector = new FaultInjector({ latencyMs: { min: 100, max: 200 } }, seededRandom(1));
    const delays = Array.from({ length: 20_000 }, () => injector.decide().delayMs);
    expect(Math.min(...delays)).toBe(100);
    expect(Math.max(...delays)).toBe(200);
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    expect(mean).toBeGreaterThan(148);
    expect(mean).toBeLessThan(152);
    expect(new FaultInjector({ latencyMs: { min: 100, max: 200 } }, scripted(0.5)).decide()).toEqual({
      delayMs: 150,
    });
  });
});

describe('FaultInjector — fault rates', () => {
  const rates = { '429': 0.1, '500': 0.05, '503': 0.02, timeout: 0.01 };

  it('injects each fault at its configured rate over many decisions (seeded)', () => {
    const injector = new FaultInjector({ rates }, seededRandom(42));
    const n = 200_000;
    const counts: Record<FaultKind | 'none', number> = { '429': 0, '500': 0, '503': 0, timeout: 0, none: 0 };
    for (let i = 0; i < n; i++) counts[injector.decide().fault ?? 'none']++;
    for (const kind of ['429', '500', '503', 'timeout'] as const) {
      // ±5 standard deviations of a binomial proportion.
      const p = rates[kind];
      expect(Math.abs(counts[kind] / n - p), kind).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
    expect(counts.none / n).toBeCloseTo(0.82, 2);
  });

  it('replays the same sequence for the same seed', () => {
    const run = (seed: number): Array<string | undefined> => {
      const injector = new FaultInjector({ rates, latencyMs: { min: 0, max: 50 } }, seededRandom(seed));
      return Array.from({ length: 500 }, () => {
        const decision = injector.decide();
        return `${decision.fault ?? '-'}@${decision.delayMs}`;
      });
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it.each<[number, FaultKind | undefined]>([
    [0, '429'],
    [0.0999, '429'],
    [0.1, '500'],
    [0.1499, '500'],
    [0.15, '503'],
    [0.17, 'timeout'],
    [0.18, undefined],
    [0.9999, undefined],
  ])('maps a draw of %d to %s', (roll, expected) => {
    expect(new FaultInjector({ rates }, scripted(roll)).decide().fault).toBe(expected);
  });

  it('always faults at rate 1 and never at rate 0', () => {
    const always = new FaultInjector({ rates: { '500': 1 } }, seededRandom(3));
    expect(Array.from({ length: 1000 }, () => always.decide().fault).every((f) => f === '500')).toBe(true);
    expect(new FaultInjector({ rates: { '500': 0 } }, never).decide()).toEqual({ delayMs: 0 });
  });
});

describe('FaultInjector — injected responses', () => {
  const decideOnly = (options: FaultInjectionOptions): FaultDecision =>
    new FaultInjector(options, scripted(0)).decide();

  it('429 looks like a real request-count throttle, with Retry-After', () => {
    expect(decideOnly({ rates: { '429': 1 }, latencyMs: 20, retryAfterSeconds: 7 })).toEqual({
      delayMs: 20,
      fault: '429',
      response: {
        status: 429,
        headers: {
          'Content-Type': 'application/json; odata.metadata=minimal',
          'OData-Version': '4.0',
          'Retry-After': '7',
        },
        body: '{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}',
      },
    });
    const defaultRetry = decideOnly({ rates: { '429': 1 } });
    expect(defaultRetry.fault === '429' && defaultRetry.response.headers['Retry-After']).toBe('5');
  });

  it('500 carries the generic Dataverse error body', () => {
    const decision = decideOnly({ rates: { '500': 1 } });
    expect(decision.fault === '500' && decision.response).toEqual({
      status: 500,
      headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
      body: '{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}',
    });
  });

  it('503 is the front end HTML page, not JSON', () => {
    const decision = decideOnly({ rates: { '503': 1 } });
    if (decision.fault !== '503') throw new Error('expected 503');
    expect(decision.response.status).toBe(503);
    expect(decision.response.headers['Content-Type']).toBe('text/html; charset=us-ascii');
    expect(decision.response.body).toContain('HTTP Error 503. The service is unavailable.');
  });

  it('a timeout holds for timeoutMs and then drops by default', () => {
    expect(decideOnly({ rates: { timeout: 1 }, latencyMs: 20 })).toEqual({
      delayMs: 30_000,
      fault: 'timeout',
      action: 'drop',
    });
    expect(decideOnly({ rates: { timeout: 1 }, timeoutMs: 1500 })).toEqual({
      delayMs: 1500,
      fault: 'timeout',
      action: 'drop',
    });
  });

  it('a timeout can answer 504 instead of dropping', () => {
    const decision = decideOnly({ rates: { timeout: 1 }, timeoutMs: 100, timeoutAction: '504' });
    if (decision.fault !== 'timeout' || decision.action !== '504') throw new Error('expected a 504 timeout');
    expect(decision.delayMs).toBe(100);
    expect(decision.response.status).toBe(504);
  });
});

describe('fault injection options', () => {
  it.each<[string, unknown]>([
    ['rates adding up to more than 1', { rates: { '429': 0.6, '500': 0.5 } }],
    ['a rate above 1', { rates: { timeout: 1.5 } }],
    ['a negative rate', { rates: { '503': -0.1 } }],
    ['min latency above max', { latencyMs: { min: 10, max: 5 } }],
    ['negative latency', { latencyMs: -1 }],
    ['an unknown fault', { rates: { '404': 0.1 } }],
  ])('rejects %s', (_name, options) => {
    expect(() => new FaultInjector(options as FaultInjectionOptions, never)).toThrow();
  });
});
