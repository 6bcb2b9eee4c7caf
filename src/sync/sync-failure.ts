import type { CrmConnectionStatusChange } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';

/**
 * What a failure of a whole CRM call means for the jobs in the batch. Problems of the connection
 * (revoked token, throttling, an unreachable host) never use up a job's attempts: the work waits,
 * and the connection's status shows why. Other retryable failures back off until `maxAttempts`;
 * permanent ones become dead letters with their reason.
 */
export interface SyncFailure {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /** Retry without counting the attempt against the limit. */
  readonly waitForConnection: boolean;
  readonly vendorCode?: string;
  readonly connectionStatus?: CrmConnectionStatusChange;
}

const REAUTHORIZE = new Set(['crm_reauthorization_needed', 'crm_auth_failed']);

export function classifyFailure(error: unknown, now: Date): SyncFailure {
  if (!(error instanceof LeadbridgeError)) {
    return {
      code: 'internal',
      message: error instanceof Error ? error.message : String(error),
      retryable: true,
      waitForConnection: false,
    };
  }
  const base = {
    code: error.code,
    message: error.message,
    ...(error.vendor && { vendorCode: error.vendor.code }),
  };
  if (REAUTHORIZE.has(error.code)) {
    return {
      ...base,
      retryable: true,
      waitForConnection: true,
      connectionStatus: { status: 'needs_reauthorization', statusReason: error.message },
    };
  }
  if (error.code === 'crm_throttled') {
    return {
      ...base,
      retryable: true,
      waitForConnection: true,
      connectionStatus: {
        status: 'throttled',
        statusReason: error.message,
        throttledUntil: new Date(now.getTime() + 60_000).toISOString(),
      },
    };
  }
  if (error.code === 'crm_unreachable') {
    return {
      ...base,
      retryable: true,
      waitForConnection: true,
      connectionStatus: { status: 'unreachable', statusReason: error.message },
    };
  }
  return { ...base, retryable: error.retryable, waitForConnection: false };
}
