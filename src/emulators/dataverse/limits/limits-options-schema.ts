import { z } from 'zod';

/**
 * Options for the service-protection limiter. Defaults are Dataverse's documented per-user limits
 * (docs/protocols/dataverse.md §4): 6000 requests, 1,200,000 ms combined execution time, 52 concurrent
 * requests, over a 300-second sliding window. Tests shrink them to tiny numbers.
 */
export const serviceProtectionOptionsSchema = z.strictObject({
  /** Disables all limits (nothing is tracked). */
  off: z.boolean().optional(),
  windowSeconds: z.int().min(1).optional(),
  maxRequests: z.int().min(1).optional(),
  maxExecutionMs: z.number().positive().finite().optional(),
  maxConcurrent: z.int().min(1).optional(),
});

const rate = z.number().min(0).max(1).optional();

const latencySchema = z.union([
  z.number().min(0).finite(),
  z
    .strictObject({ min: z.number().min(0).finite(), max: z.number().min(0).finite() })
    .refine((range) => range.min <= range.max, { message: 'latencyMs.min must not exceed latencyMs.max' }),
]);

/** Options for fault injection: artificial latency plus rates (0..1) of injected failures. */
export const faultInjectionOptionsSchema = z.strictObject({
  /** Fixed latency in ms, or a uniformly random latency in `[min, max]`. Default 0. */
  latencyMs: latencySchema.optional(),
  /** Probability per request of each fault; their sum must not exceed 1. Default all 0. */
  rates: z
    .strictObject({ '429': rate, '500': rate, '503': rate, timeout: rate })
    .refine((r) => (r['429'] ?? 0) + (r['500'] ?? 0) + (r['503'] ?? 0) + (r.timeout ?? 0) <= 1 + 1e-9, {
      message: 'fault rates must add up to at most 1',
    })
    .optional(),
  /** How long a timed-out request is held before it is dropped or answered with 504. Default 30,000 ms. */
  timeoutMs: z.number().min(0).finite().optional(),
  /** What happens after the hold: close the connection without a response, or answer 504. Default 'drop'. */
  timeoutAction: z.enum(['drop', '504']).optional(),
  /** Retry-After sent with an injected 429. Default 5 s. */
  retryAfterSeconds: z.int().min(1).optional(),
});

/** Plain-object form accepted by `ServiceProtectionLimiter` (the schema's input and output type). */
export type ServiceProtectionOptions = z.input<typeof serviceProtectionOptionsSchema>;

/** Plain-object form accepted by `FaultInjector`. */
export type FaultInjectionOptions = z.input<typeof faultInjectionOptionsSchema>;
