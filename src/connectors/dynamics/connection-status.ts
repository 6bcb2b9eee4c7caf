import type { CrmConnectionStatus } from '../../domain/index.js';
import { LeadbridgeError } from '../../shared/errors.js';

/** The last thing that happened on a connection: a call that worked, or the error one ended with. */
export type ConnectionOutcome =
  | { readonly ok: true; readonly at: Date }
  | { readonly ok: false; readonly at: Date; readonly error: unknown };

/** What the UI shows about a connection (Twenty-style status, kept apart from workers' stages). */
export interface ConnectionStatusReport {
  readonly status: CrmConnectionStatus;
  /** Why, in plain words, with the vendor's code and message when there is one. */
  readonly reason?: string;
  /** ISO instant until which Dynamics 365 throttles the connection. */
  readonly throttledUntil?: string;
  readonly vendor?: { readonly code: string; readonly message: string };
  /** ISO instant of the outcome this report is based on. */
  readonly since?: string;
}

/** Not a member of the organisation: the application user is missing or disabled in the environment. */
const ACCESS_LOST_CODES = new Set(['0x80072560']);

function reasonOf(error: LeadbridgeError): string {
  return error.vendor && !error.message.includes(error.vendor.code)
    ? `${error.message} (${error.vendor.code}: ${error.vendor.message})`
    : error.message;
}

/**
 * The status a person sees, from the last outcome. Errors about one record (validation, not found,
 * duplicate, a missing privilege for one table) leave the connection `active`: it works, the data
 * does not. A throttle whose time has passed is `active` again.
 */
export function connectionStatusFrom(
  outcome: ConnectionOutcome | undefined,
  now: Date,
): ConnectionStatusReport {
  if (outcome === undefined) return { status: 'untested' };
  const since = outcome.at.toISOString();
  if (outcome.ok) return { status: 'active', since };
  const error = outcome.error;
  if (!(error instanceof LeadbridgeError))
    return { status: 'unreachable', reason: error instanceof Error ? error.message : String(error), since };
  const base = { reason: reasonOf(error), since, ...(error.vendor ? { vendor: error.vendor } : {}) };
  switch (error.code) {
    case 'crm_auth_failed':
    case 'crm_reauthorization_needed':
    case 'crm_wrong_environment':
      return { status: 'needs_reauthorization', ...base };
    case 'crm_throttled': {
      const retryAt = (error as LeadbridgeError & { retryAt?: string }).retryAt;
      if (retryAt !== undefined && Date.parse(retryAt) <= now.getTime()) return { status: 'active', since };
      return { status: 'throttled', ...base, ...(retryAt !== undefined ? { throttledUntil: retryAt } : {}) };
    }
    case 'crm_unreachable':
    case 'crm_unavailable':
    case 'crm_url_invalid':
      return { status: 'unreachable', ...base };
    case 'crm_forbidden':
      return error.vendor && ACCESS_LOST_CODES.has(error.vendor.code.toLowerCase())
        ? { status: 'needs_reauthorization', ...base }
        : { status: 'active', since };
    default:
      return { status: 'active', since };
  }
}

/** Whether an error says something about the connection (rather than about one record). */
export function isConnectionLevelError(error: unknown): boolean {
  return connectionStatusFrom({ ok: false, at: new Date(0), error }, new Date(0)).status !== 'active';
}
