import type { EmulatorResponse } from '../protocol/emulator-request.js';
import {
  injectedGatewayTimeoutResponse,
  injectedServerErrorResponse,
  injectedThrottleResponse,
  injectedUnavailableResponse,
} from './fault-responses.js';
import { faultInjectionOptionsSchema, type FaultInjectionOptions } from './limits-options-schema.js';
import type { RandomSource } from '../../../shared/seeded-random.js';

export type FaultKind = '429' | '500' | '503' | 'timeout';

/**
 * What the HTTP layer should do with one request. In every case: wait `delayMs` first (no timers here).
 * - no `fault`: then handle the request normally;
 * - `'429' | '500' | '503'`: then send `response` instead of handling the request;
 * - `'timeout'`: `delayMs` is the hold time; then either close the connection without answering
 *   (`action: 'drop'`) or send `response`, a 504 (`action: '504'`).
 */
export type FaultDecision =
  | { readonly delayMs: number; readonly fault?: never }
  | { readonly delayMs: number; readonly fault: '429' | '500' | '503'; readonly response: EmulatorResponse }
  | { readonly delayMs: number; readonly fault: 'timeout'; readonly action: 'drop' }
  | {
      readonly delayMs: number;
      readonly fault: 'timeout';
      readonly action: '504';
      readonly response: EmulatorResponse;
    };

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Evaluation order of the rates on the single draw per decision (cumulative bands in [0, 1)). */
const FAULT_ORDER: readonly FaultKind[] = ['429', '500', '503', 'timeout'];

/**
 * Chaos for the emulator: latency and injected failures at configured rates, so the lead-sync service's
 * retry and timeout handling can be exercised. Pure: randomness is injected and it only *decides*;
 * the HTTP layer waits and acts. Each decision draws one number for the fault and, when latency is a
 * range, one more for the latency — so a seeded source gives a reproducible sequence.
 */
export class FaultInjector {
  private readonly latency: number | { readonly min: number; readonly max: number };
  private readonly bands: ReadonlyArray<readonly [kind: FaultKind, upTo: number]>;
  private readonly timeoutMs: number;
  private readonly timeoutAction: 'drop' | '504';
  private readonly retryAfterSeconds: number;

  constructor(
    options: FaultInjectionOptions,
    private readonly randomSource: RandomSource,
  ) {
    const parsed = faultInjectionOptionsSchema.parse(options);
    this.latency = parsed.latencyMs ?? 0;
    this.timeoutMs = parsed.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timeoutAction = parsed.timeoutAction ?? 'drop';
    this.retryAfterSeconds = parsed.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    let upTo = 0;
    const bands: Array<readonly [FaultKind, number]> = [];
    for (const kind of FAULT_ORDER) {
      const rate = parsed.rates?.[kind] ?? 0;
      if (rate <= 0) continue;
      // Rounded so bands meet exactly where the rates say (0.1 + 0.05 is 0.15000000000000002 in floats).
      upTo = Math.round((upTo + rate) * 1e12) / 1e12;
      bands.push([kind, upTo]);
    }
    this.bands = bands;
  }

  /** True when no latency and no faults are configured (the HTTP layer can skip the hook). */
  get inactive(): boolean {
    return this.bands.length === 0 && this.latency === 0;
  }

  decide(): FaultDecision {
    const delayMs = this.drawLatency();
    const fault = this.drawFault();
    switch (fault) {
      case undefined:
        return { delayMs };
      case '429':
        return { delayMs, fault, response: injectedThrottleResponse(this.retryAfterSeconds) };
      case '500':
        return { delayMs, fault, response: injectedServerErrorResponse() };
      case '503':
        return { delayMs, fault, response: injectedUnavailableResponse() };
      case 'timeout':
        return this.timeoutAction === 'drop'
          ? { delayMs: this.timeoutMs, fault, action: 'drop' }
          : { delayMs: this.timeoutMs, fault, action: '504', response: injectedGatewayTimeoutResponse() };
    }
  }

  private drawLatency(): number {
    if (typeof this.latency === 'number') return this.latency;
    const { min, max } = this.latency;
    return Math.round(min + this.randomSource.random() * (max - min));
  }

  private drawFault(): FaultKind | undefined {
    if (this.bands.length === 0) return undefined;
    const roll = this.randomSource.random();
    for (const [kind, upTo] of this.bands) if (roll < upTo) return kind;
    return undefined;
  }
}
