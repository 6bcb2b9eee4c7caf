import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RequestCounter } from '../../domain/index.js';
import { RequestMeter } from './request-meter.js';

class MemoryCounter implements RequestCounter {
  readonly totals = new Map<string, number>();
  async add(connectionId: string, day: string, count: number): Promise<number> {
    const total = (this.totals.get(`${connectionId}/${day}`) ?? 0) + count;
    this.totals.set(`${connectionId}/${day}`, total);
    return total;
  }
  async get(connectionId: string, day: string): Promise<number> {
    return this.totals.get(`${connectionId}/${day}`) ?? 0;
  }
}

function setup(threshold?: number) {
  const warnings: Record<string, unknown>[] = [];
  let now = new Date('2026-05-01T23:59:00Z');
  const counter = new MemoryCounter();
  const connectionId = randomUUID();
  const options = {
    connectionId,
    counter,
    logger: { info: () => {}, warn: (object: Record<string, unknown>) => warnings.push(object) },
    now: () => now,
    ...(threshold !== undefined ? { warningThreshold: threshold } : {}),
  };
  return {
    meter: new RequestMeter(options),
    options,
    counter,
    warnings,
    setNow: (d: string) => (now = new Date(d)),
  };
}

describe('RequestMeter', () => {
  it('counts per UTC day through the counter', async () => {
    const { meter, counter, options, setNow } = setup();
    await meter.record(1);
    await meter.record(25); // a batch of 25 operations
    setNow('2026-05-02T00:00:01Z');
    await meter.record(2);
    expect(counter.totals.get(`${options.connectionId}/2026-05-01`)).toBe(26);
    expect(await meter.usage()).toEqual({ day: '2026-05-02', requests: 2, thresholdReached: false });
  });

  it('warns once per day when the threshold is reached, for all clients of a connection', async () => {
    const { meter, options, warnings, setNow } = setup(3);
    await meter.record(2);
    expect(warnings).toHaveLength(0);
    await meter.record(1);
    await meter.record(5);
    await new RequestMeter(options).record(1);
    expect(warnings).toEqual([
      expect.objectContaining({ day: '2026-05-01', requests: 3, warningThreshold: 3 }),
    ]);
    expect(await meter.usage()).toMatchObject({ requests: 9, thresholdReached: true });
    setNow('2026-05-02T08:00:00Z');
    await meter.record(4);
    expect(warnings).toHaveLength(2);
  });

  it('keeps counting in memory when the store fails, and says so', async () => {
    const { options, warnings } = setup();
    const meter = new RequestMeter({
      ...options,
      counter: {
        add: () => Promise.reject(new Error('database is locked')),
        get: () => Promise.resolve(0),
      },
    });
    await meter.record(2);
    expect(warnings[0]).toMatchObject({ err: 'database is locked' });
  });
});
