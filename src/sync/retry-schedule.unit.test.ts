import { describe, expect, it } from 'vitest';
import { nextAttemptAt, type RetrySchedule } from './retry-schedule.js';

const schedule: RetrySchedule = { baseMs: 1_000, maxMs: 10_000, maxAttempts: 5 };
const now = new Date('2026-12-02T10:00:00.000Z');
const delayOf = (attempts: number, random: number, retryAfterMs?: number) =>
  nextAttemptAt(attempts, now, () => random, schedule, retryAfterMs).getTime() - now.getTime();

describe('nextAttemptAt', () => {
  it.each([
    [1, 0.999, 999],
    [2, 0.999, 1_998],
    [3, 0.5, 2_000],
    [10, 0.999, 9_990],
  ])(
    'after attempt %i with random %f waits %i ms (full jitter under a doubling ceiling)',
    (attempts, random, ms) => {
      expect(delayOf(attempts, random)).toBe(ms);
    },
  );

  it('never waits less than Retry-After', () => {
    expect(delayOf(1, 0, 30_000)).toBe(30_000);
    expect(delayOf(4, 0.999, 100)).toBe(7_992);
  });
});
