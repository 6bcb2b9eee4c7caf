export { dataverseErrorResponse } from './dataverse-error-response.js';
export { FaultInjector, type FaultDecision, type FaultKind } from './fault-injector.js';
export {
  injectedGatewayTimeoutResponse,
  injectedServerErrorResponse,
  injectedThrottleResponse,
  injectedUnavailableResponse,
} from './fault-responses.js';
export {
  faultInjectionOptionsSchema,
  serviceProtectionOptionsSchema,
  type FaultInjectionOptions,
  type ServiceProtectionOptions,
} from './limits-options-schema.js';
export {
  BURST_REMAINING_HEADER,
  TIME_REMAINING_HEADER,
  formatTimeRemaining,
  rateLimitHeaders,
} from './rate-limit-headers.js';
export {
  DEFAULT_LIMITS,
  serviceProtectionError,
  type LimitValues,
  type ServiceProtectionError,
  type ServiceProtectionLimit,
} from './service-protection-errors.js';
export {
  ServiceProtectionLimiter,
  throttledResponse,
  type BeginResult,
  type Clock,
  type LimiterTicket,
  type RemainingBudget,
  type ServiceProtectionDenial,
} from './service-protection-limiter.js';
