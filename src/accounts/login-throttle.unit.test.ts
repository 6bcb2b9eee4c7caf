import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('refuses after the fifth failure until the window moves on', () => {
    let now = 0;
    const throttle = new LoginThrottle(5, 60_000, () => now);
    for (let i = 0; i < 4; i++) throttle.recordFailure(['ana@x.com']);
    expect(throttle.retryAfterSeconds(['ana@x.com'])).toBe(0);
    now = 10_000;
    throttle.recordFailure(['ana@x.com']);
    expect(throttle.retryAfterSeconds(['ana@x.com'])).toBe(50);
    expect(throttle.retryAfterSeconds(['ben@x.com'])).toBe(0);
    now = 60_001;
    expect(throttle.retryAfterSeconds(['ana@x.com'])).toBe(0);
  });

  it('forgets failures after a success', () => {
    const throttle = new LoginThrottle(2, 60_000, () => 0);
    throttle.recordFailure(['k']);
    throttle.recordFailure(['k']);
    expect(throttle.retryAfterSeconds(['k'])).toBeGreaterThan(0);
    throttle.recordSuccess(['k']);
    expect(throttle.retryAfterSeconds(['k'])).toBe(0);
  });
});
