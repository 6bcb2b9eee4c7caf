/**
 * Entra's OAuth error shape. Entra answers token-endpoint failures with JSON like (real capture, see
 * learn.microsoft.com/entra/identity-platform/reference-error-codes "Handling error codes"):
 *
 *   {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. ...
 *    \r\nTrace ID: <guid>\r\nCorrelation ID: <guid>\r\nTimestamp: 2023-05-06 06:03:00Z",
 *    "error_codes":[7000215],"timestamp":"2023-05-06 06:03:00Z","trace_id":"<guid>",
 *    "correlation_id":"<guid>","error_uri":"https://login.microsoftonline.com/error?code=7000215"}
 *
 * msal-node surfaces `error` as `errorCode`, `error_codes[0]` as `errorNo` and builds `errorMessage`
 * from `error_codes`, `timestamp`, `error_description`, `correlation_id` and `trace_id`.
 */

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_resource'
  | 'invalid_tenant'
  | 'access_denied'
  | 'login_required'
  | 'interaction_required';

export interface AadstsError {
  readonly error: OAuthErrorCode;
  /** The AADSTS number, e.g. 7000215. */
  readonly code: number;
  /** The text after "AADSTSnnnn: ". */
  readonly message: string;
  /** HTTP status for the token endpoint: 401 for invalid_client, 400 otherwise (as Entra). */
  readonly status: number;
}

export interface EntraErrorBody {
  readonly error: OAuthErrorCode;
  readonly error_description: string;
  readonly error_codes: readonly number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
}

export interface RequestIds {
  /** Entra's per-request id (also the `x-ms-request-id` response header). */
  readonly traceId: string;
  /** The caller's `client-request-id` when sent (msal sends one), else a new GUID. */
  readonly correlationId: string;
  /** Epoch milliseconds from the injected clock. */
  readonly now: number;
}

export function aadstsError(error: OAuthErrorCode, code: number, message: string): AadstsError {
  return { error, code, message, status: error === 'invalid_client' ? 401 : 400 };
}

/** "AADSTS<code>: <message>" — the first line of error_description, also shown on error pages. */
export function aadstsText(error: AadstsError): string {
  return `AADSTS${error.code}: ${error.message}`;
}

export function entraErrorBody(error: AadstsError, ids: RequestIds): EntraErrorBody {
  const timestamp = entraTimestamp(ids.now);
  return {
    error: error.error,
    error_description: `${aadstsText(error)}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    // Points at Entra's real lookup page on purpose: it is informational (never fetched by clients) and
    // lets a developer read the real explanation of the code.
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
  };
}

/** Entra's timestamp format: "2023-05-06 06:03:00Z" (UTC, seconds, space separator). */
export function entraTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The 7-digit-fraction ISO form Entra prints inside some messages: "2024-12-07T12:09:18.3149355Z". */
export function entraIsoTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}0000Z`;
}
