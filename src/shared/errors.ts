/**
 * Leadbridge's own error catalogue: every code the product can answer or print, with its HTTP status,
 * the message a person reads, and whether retrying can help. docs/errors.md mirrors this table and a
 * test keeps the two in step. Vendor errors (Dataverse, Entra, LinkedIn) are translated into these
 * codes at the connector edge, with the vendor's code kept beside them for the log.
 */
export const errorCatalogue = {
  invalid_config: { status: 500, retryable: false, message: 'The configuration is invalid.' },
  invalid_arguments: { status: 400, retryable: false, message: 'The command line arguments are invalid.' },
  unknown_command: { status: 400, retryable: false, message: 'There is no such command.' },
  port_in_use: { status: 500, retryable: false, message: 'The port is already in use by another process.' },
  worker_already_running: {
    status: 500,
    retryable: false,
    message: 'Another Leadbridge worker already uses this SQLite store.',
  },
  invalid_roles: { status: 400, retryable: false, message: 'Unknown process role.' },
  data_dir_unwritable: {
    status: 500,
    retryable: false,
    message: 'The data directory cannot be created or written.',
  },
  invalid_body: { status: 400, retryable: false, message: 'The request body is not valid.' },
  not_found: { status: 404, retryable: false, message: 'The resource does not exist.' },
  unauthenticated: { status: 401, retryable: false, message: 'Sign in first.' },
  forbidden: { status: 403, retryable: false, message: 'Your role does not allow this.' },
  csrf_failed: {
    status: 403,
    retryable: false,
    message: 'The form expired or came from another site; reload the page.',
  },
  too_many_attempts: {
    status: 429,
    retryable: true,
    message: 'Too many attempts; wait a moment and try again.',
  },
  conflict: { status: 409, retryable: false, message: 'The resource already exists or changed meanwhile.' },
  store_unavailable: { status: 503, retryable: true, message: 'The database cannot be reached.' },
  secret_key_invalid: {
    status: 500,
    retryable: false,
    message: 'The secret key cannot decrypt the stored secrets.',
  },
  crm_url_invalid: { status: 400, retryable: false, message: 'That is not a Dynamics 365 environment URL.' },
  crm_auth_failed: { status: 401, retryable: false, message: 'Microsoft Entra ID refused the credentials.' },
  crm_reauthorization_needed: {
    status: 401,
    retryable: false,
    message: 'The CRM sign-in was revoked or expired; sign in again.',
  },
  crm_wrong_environment: {
    status: 403,
    retryable: false,
    message: 'That sign-in belongs to another Dynamics 365 environment.',
  },
  crm_forbidden: {
    status: 403,
    retryable: false,
    message: 'Dynamics 365 refused the operation for this user.',
  },
  crm_throttled: { status: 429, retryable: true, message: 'Dynamics 365 is throttling requests.' },
  crm_unreachable: {
    status: 502,
    retryable: true,
    message: 'The Dynamics 365 environment cannot be reached.',
  },
  crm_unavailable: { status: 503, retryable: true, message: 'Dynamics 365 answered with a server error.' },
  crm_validation_failed: { status: 422, retryable: false, message: 'Dynamics 365 rejected the data.' },
  crm_record_not_found: { status: 404, retryable: false, message: 'The CRM record does not exist.' },
  crm_duplicate: { status: 409, retryable: false, message: 'The CRM already holds that record.' },
  invalid_api_key: {
    status: 401,
    retryable: false,
    message: 'The source API key is missing, unknown or revoked.',
  },
  payload_too_large: { status: 413, retryable: false, message: 'The request body is too large.' },
  rate_limited: { status: 429, retryable: true, message: 'Too many requests; slow down.' },
  source_disabled: { status: 409, retryable: false, message: 'The lead source is disabled.' },
  mapping_invalid: {
    status: 422,
    retryable: false,
    message: 'The field mapping does not fit the CRM table.',
  },
  csv_invalid: { status: 400, retryable: false, message: 'The CSV file cannot be read.' },
  strategy_active: {
    status: 409,
    retryable: false,
    message: 'The active matching strategy cannot be deleted.',
  },
  quota_exceeded: {
    status: 429,
    retryable: false,
    message: 'The monthly limit of leads and contacts created has been reached.',
  },
  no_crm_connection: {
    status: 409,
    retryable: false,
    message: 'No Dynamics 365 connection is available for this source.',
  },
  internal: { status: 500, retryable: true, message: 'An unexpected error occurred.' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class LeadbridgeError extends Error {
  readonly status: number;
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly vendor?: { readonly code: string; readonly message: string },
  ) {
    const entry = errorCatalogue[code];
    super(detail ? `${entry.message} ${detail}` : entry.message);
    this.name = 'LeadbridgeError';
    this.status = entry.status;
    this.retryable = entry.retryable;
  }
}
