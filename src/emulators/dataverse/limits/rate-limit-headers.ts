import { groupDigits } from './service-protection-errors.js';

export const BURST_REMAINING_HEADER = 'x-ms-ratelimit-burst-remaining-xrm-requests';
export const TIME_REMAINING_HEADER = 'x-ms-ratelimit-time-remaining-xrm-requests';

/**
 * Formats the remaining execution-time budget for `x-ms-ratelimit-time-remaining-xrm-requests`.
 *
 * Unit choice: the protocol doc (§1.3, §4) names the header but not its unit, and MSDocs only says "the
 * remaining combined duration". Real responses carry **seconds with two decimals and en-US digit
 * grouping**: `1,200.00` on a fresh window (= 1,200,000 ms), `1,199.46` after a little work (captures in
 * MSDocs compose-http-requests-handle-errors.md and in public client code/tests). Clients parse exactly
 * that, so the emulator reproduces it. Truncated, not rounded, so a nearly used-up budget never reads as
 * more than is left.
 */
export function formatTimeRemaining(remainingMs: number): string {
  const hundredths = Math.max(0, Math.floor(remainingMs / 10));
  const whole = Math.floor(hundredths / 100);
  const fraction = String(hundredths % 100).padStart(2, '0');
  return `${groupDigits(whole)}.${fraction}`;
}

/** Both debug headers, as the service sends them on every response (§4): a plain integer and seconds. */
export function rateLimitHeaders(remaining: {
  readonly requests: number;
  readonly executionMs: number;
}): Record<string, string> {
  return {
    [BURST_REMAINING_HEADER]: String(Math.max(0, Math.floor(remaining.requests))),
    [TIME_REMAINING_HEADER]: formatTimeRemaining(remaining.executionMs),
  };
}
