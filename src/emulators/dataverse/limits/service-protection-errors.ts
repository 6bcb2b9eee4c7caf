/**
 * The three service-protection errors, with the codes and message texts of docs/protocols/dataverse.md §4
 * (MSDocs api-limits.md). Messages interpolate the configured limits the way the real ones interpolate
 * the environment's, so a test with `maxRequests: 3` sees "…the limit of 3 over time window of 300 seconds."
 */

export type ServiceProtectionLimit = 'requests' | 'executionTime' | 'concurrency';

export interface ServiceProtectionError {
  /** Hex code the Web API puts in `error.code`. */
  readonly code: string;
  /** The same code as the SDK's signed int (OrganizationServiceFault.ErrorCode). */
  readonly sdkCode: number;
  readonly message: string;
}

export interface LimitValues {
  readonly windowSeconds: number;
  readonly maxRequests: number;
  readonly maxExecutionMs: number;
  readonly maxConcurrent: number;
}

/** Dataverse's documented per-user defaults (§4). */
export const DEFAULT_LIMITS: LimitValues = {
  windowSeconds: 300,
  maxRequests: 6000,
  maxExecutionMs: 1_200_000,
  maxConcurrent: 52,
};

/** en-US digit grouping (`1,200,000`), without depending on the runtime's ICU data. */
export function groupDigits(value: number): string {
  const [whole = '0', fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function serviceProtectionError(
  limit: ServiceProtectionLimit,
  values: LimitValues,
): ServiceProtectionError {
  switch (limit) {
    case 'requests':
      return {
        code: '0x80072322',
        sdkCode: -2147015902,
        message: `Number of requests exceeded the limit of ${values.maxRequests} over time window of ${values.windowSeconds} seconds.`,
      };
    case 'executionTime':
      // The double space before "milliseconds" is in the current MSDocs text (and the protocol doc's table).
      return {
        code: '0x80072321',
        sdkCode: -2147015903,
        message:
          `Combined execution time of incoming requests exceeded limit of ${groupDigits(values.maxExecutionMs)}  ` +
          `milliseconds over time window of ${values.windowSeconds} seconds. Decrease number of concurrent ` +
          `requests or reduce the duration of requests and try again later.`,
      };
    case 'concurrency':
      return {
        code: '0x80072326',
        sdkCode: -2147015898,
        message: `Number of concurrent requests exceeded the limit of ${values.maxConcurrent}.`,
      };
  }
}
