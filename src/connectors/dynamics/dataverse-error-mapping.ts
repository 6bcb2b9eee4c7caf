import { LeadbridgeError, type ErrorCode } from '../../shared/errors.js';

/** A Dataverse answer that was not a success, as the connector saw it. */
export interface DataverseFailure {
  readonly status: number;
  /** `error.code` of the body, e.g. `0x80040217`. */
  readonly code?: string;
  readonly message?: string;
  readonly retryAfterSeconds?: number;
}

/**
 * The one pure decision "is this worth retrying?" (as Twenty keeps it): throttling, server errors and
 * timeouts are temporary; everything else is the request's fault and retrying cannot help.
 */
export function isTemporary(failure: DataverseFailure): boolean {
  return failure.status === 429 || failure.status === 408 || failure.status >= 500;
}

const DUPLICATE_CODES = new Set(['0x80040237', '0x80040333']);

/** Dataverse's status and code → our catalogue, the vendor's code and message kept for the log. */
export function mapDataverseFailure(failure: DataverseFailure): LeadbridgeError & { retryAt?: string } {
  let code: ErrorCode;
  if (failure.status === 401) code = 'crm_reauthorization_needed';
  else if (failure.status === 403) code = 'crm_forbidden';
  else if (failure.status === 404) code = 'crm_record_not_found';
  else if (failure.status === 412 && failure.code && DUPLICATE_CODES.has(failure.code))
    code = 'crm_duplicate';
  else if (failure.status === 429) code = 'crm_throttled';
  else if (failure.status >= 500) code = 'crm_unavailable';
  else code = 'crm_validation_failed';
  const error: LeadbridgeError & { retryAt?: string } = new LeadbridgeError(code, failure.message, {
    code: failure.code ?? `HTTP ${failure.status}`,
    message: failure.message ?? '',
  });
  if (failure.retryAfterSeconds !== undefined)
    error.retryAt = new Date(Date.now() + failure.retryAfterSeconds * 1000).toISOString();
  return error;
}

/**
 * Entra ID's token errors (AADSTS…) as msal-node surfaces them: a wrong or unknown secret is an
 * authentication failure the admin must fix; an expired secret or a revoked grant needs new
 * credentials or a new sign-in; anything network-level means the authority is unreachable.
 */
export function mapEntraFailure(error: unknown): LeadbridgeError {
  const e = error as {
    errorCode?: string;
    errorMessage?: string;
    message?: string;
    cause?: { code?: string };
  };
  const text = e.errorMessage ?? e.message ?? String(error);
  // Entra appends trace and correlation ids on new lines; the first line is the one a person needs.
  const plain = text.split(/\r?\n/)[0] ?? text;
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  const vendor = { code: aadsts ? `AADSTS${aadsts}` : (e.errorCode ?? 'network'), message: plain };
  if (aadsts === '7000222' || e.errorCode === 'invalid_grant' || aadsts === '50173' || aadsts === '70008')
    return new LeadbridgeError('crm_reauthorization_needed', plain, vendor);
  if (
    e.errorCode === 'invalid_client' ||
    e.errorCode === 'unauthorized_client' ||
    e.errorCode === 'invalid_request' ||
    aadsts
  )
    return new LeadbridgeError('crm_auth_failed', plain, vendor);
  return new LeadbridgeError('crm_unreachable', `The sign-in service cannot be reached: ${plain}`, vendor);
}
