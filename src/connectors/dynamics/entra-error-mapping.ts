import { LeadbridgeError, type ErrorCode } from '../../shared/errors.js';
import { DataverseError } from './dataverse-error.js';
import { describeTransportFailure, type TransportFailure } from './transport-failure.js';

/**
 * Entra ID failures as msal-node surfaces them (`ServerError`, `InteractionRequiredAuthError`,
 * `ClientAuthError`), translated into our catalogue with Entra's own words kept. The AADSTS number
 * decides where it can: Entra's documentation says codes, not texts, are the contract
 * (learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */

interface MsalErrorLike {
  readonly errorCode?: unknown;
  readonly errorMessage?: unknown;
  readonly errorNo?: unknown;
  readonly subError?: unknown;
  readonly status?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly transportFailure?: TransportFailure;
}

/** AADSTS numbers whose remedy is a new secret or a new sign-in rather than a fixed configuration. */
const REAUTHORIZE: Readonly<Record<string, string>> = {
  '7000222':
    'The client secret expired: create a new secret in the app registration and store it in the connection.',
  '50173': 'The sign-in was revoked (password change or admin action): sign in again.',
  '700082': 'The sign-in expired after a long time unused: sign in again.',
  '700084': 'The sign-in expired: sign in again.',
  '70043': 'The sign-in expired under a Conditional Access policy: sign in again.',
  '50132': 'The session was revoked: sign in again.',
  '50076': 'Multi-factor authentication is now required: sign in again.',
  '50079': 'Multi-factor authentication must be set up: sign in again.',
  '65001': 'Consent to the app is missing or was withdrawn: sign in again (or ask an admin to consent).',
  '54005': 'The sign-in code was already used: start the sign-in again.',
  '70008': 'The sign-in code expired: start the sign-in again.',
  '50057': 'The user account is disabled in Entra ID.',
  '500341': 'The user account was deleted from Entra ID.',
};

/** AADSTS numbers that mean the connection's settings are wrong: the admin has to fix them. */
const MISCONFIGURED: Readonly<Record<string, string>> = {
  '7000215':
    'Check that the connection holds the client secret value (not the secret ID) of this app registration.',
  '700016': 'No app with this client ID exists in the tenant: check the client ID and tenant ID.',
  '700027': 'The certificate is not registered on the app (or its thumbprint does not match).',
  '7000112': 'The app registration is disabled.',
  '90002': 'The tenant ID does not exist: check it.',
  '500011':
    'Entra ID does not know this environment as a resource in the tenant: check the environment URL and tenant.',
  '7000218': 'The connection has no client secret or certificate.',
};

/** Cuts Entra's trace lines (`Trace ID`, `Correlation ID`, `Timestamp`) and msal's prefix off the text. */
function entraDescription(raw: string): { aadsts?: string; description: string } {
  const match = /AADSTS(\d+):\s*([\s\S]*)/.exec(raw);
  const body = match?.[2] ?? raw.replace(/^Error\(s\):.*?- Description:\s*/s, '');
  const description = body
    .split(/\r?\n|\s+Trace ID:|\s+- Correlation ID:|\s+- Timestamp:/)[0]
    ?.trim()
    .replace(/\s+/g, ' ');
  return { ...(match?.[1] !== undefined ? { aadsts: match[1] } : {}), description: description ?? raw };
}

function transportFailureIn(error: unknown, depth = 0): TransportFailure | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const e = error as MsalErrorLike;
  return e.transportFailure ?? transportFailureIn(e.cause, depth + 1);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export interface EntraFailureContext {
  /** Origin of the authority, e.g. `https://login.microsoftonline.com`. */
  readonly authorityOrigin: string;
  /**
   * The network module's last failure: MSAL reports a failed discovery request only as
   * `openid_config_error`, without the reason.
   */
  readonly recentTransportFailure?: TransportFailure;
}

const NETWORK_CODES = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error']);

export function mapEntraFailure(error: unknown, context: EntraFailureContext): LeadbridgeError {
  if (error instanceof LeadbridgeError) return error;
  const errorCode = (error as MsalErrorLike | null)?.errorCode;
  const transport =
    transportFailureIn(error) ??
    (typeof errorCode === 'string' && NETWORK_CODES.has(errorCode)
      ? context.recentTransportFailure
      : undefined);
  if (transport !== undefined)
    return new DataverseError(
      'crm_unreachable',
      `Microsoft Entra ID: ${describeTransportFailure(transport, context.authorityOrigin)}`,
      { code: transport.code, message: transport.message },
    );
  const e = (typeof error === 'object' && error !== null ? error : {}) as MsalErrorLike;
  const oauthCode = text(e.errorCode);
  const raw = text(e.errorMessage) || text(e.message) || String(error);
  const { aadsts: fromText, description } = entraDescription(raw);
  const aadsts = text(e.errorNo) || (typeof e.errorNo === 'number' ? String(e.errorNo) : '') || fromText;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const vendor = { code: aadsts ? `AADSTS${aadsts}` : oauthCode || 'entra_error', message: description };
  const said = aadsts ? `Entra ID said "AADSTS${aadsts}: ${description}"` : `Entra ID said "${description}"`;
  const build = (code: ErrorCode, remedy?: string) =>
    new DataverseError(code, remedy ? `${said}. ${remedy}` : `${said}.`, vendor, {
      ...(status !== undefined ? { httpStatus: status } : {}),
    });

  if (aadsts && REAUTHORIZE[aadsts] !== undefined)
    return build('crm_reauthorization_needed', REAUTHORIZE[aadsts]);
  if (aadsts && MISCONFIGURED[aadsts] !== undefined) return build('crm_auth_failed', MISCONFIGURED[aadsts]);
  switch (oauthCode) {
    case 'invalid_grant':
    case 'interaction_required':
    case 'consent_required':
    case 'login_required':
    case 'no_tokens_found':
    case 'no_account_found':
    case 'refresh_token_expired':
    case 'bad_token':
      return build('crm_reauthorization_needed', 'Sign in again.');
    case 'invalid_client':
    case 'unauthorized_client':
    case 'invalid_request':
    case 'invalid_resource':
    case 'invalid_scope':
    case 'invalid_tenant':
    case 'access_denied':
      return build('crm_auth_failed');
    case 'temporarily_unavailable':
    case 'server_error':
      return build('crm_unavailable');
    case 'network_error':
    case 'endpoints_resolution_error':
    case 'openid_config_error':
      return new DataverseError(
        'crm_unreachable',
        `Microsoft Entra ID at ${context.authorityOrigin} cannot be reached (${oauthCode}).`,
        vendor,
      );
    default:
      if (status !== undefined && status >= 500) return build('crm_unavailable');
      return build('crm_auth_failed');
  }
}
