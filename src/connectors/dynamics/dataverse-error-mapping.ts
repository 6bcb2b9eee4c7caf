import type { ErrorCode } from '../../shared/errors.js';
import { DataverseError } from './dataverse-error.js';
import type { AttemptOutcome } from './retry-decision.js';
import { describeTransportFailure } from './transport-failure.js';

/** DuplicateRecord (key or primary key exists) and DuplicateRecordsFound (a detection rule fired), §1.11. */
const DUPLICATE_CODES = new Set(['0x80040237', '0x80040333']);

/** Dataverse's status (and, for 412, its code) → our catalogue. */
export function errorCodeForStatus(status: number, vendorCode?: string): ErrorCode {
  if (status === 401) return 'crm_reauthorization_needed';
  if (status === 403) return 'crm_forbidden';
  if (status === 404) return 'crm_record_not_found';
  if (status === 412 || status === 409)
    return vendorCode !== undefined && DUPLICATE_CODES.has(vendorCode.toLowerCase())
      ? 'crm_duplicate'
      : 'conflict';
  if (status === 429) return 'crm_throttled';
  if (status >= 500) return 'crm_unavailable';
  return 'crm_validation_failed';
}

export interface FailureContext {
  /** `https://host/` of the environment. */
  readonly environmentUrl: string;
  /** e.g. `POST leads`, for the message. */
  readonly operation?: string;
  readonly now: Date;
}

function hint(code: ErrorCode, status: number): string | undefined {
  switch (code) {
    case 'crm_reauthorization_needed':
      return 'Dataverse no longer accepts the access token; sign in again or renew the credentials.';
    case 'crm_forbidden':
      return "The application user's security role is missing a privilege; ask the Dynamics 365 administrator.";
    case 'crm_unavailable':
      return `Dynamics 365 answered HTTP ${status}.`;
    default:
      return undefined;
  }
}

/**
 * A non-success answer from Dataverse as our error, with Dataverse's code and message kept as
 * `vendor` and repeated in the message, so a person reading a sync log knows what to fix.
 */
export function mapDataverseFailure(
  outcome: Extract<AttemptOutcome, { kind: 'response' }>,
  context: FailureContext,
): DataverseError {
  const code = errorCodeForStatus(outcome.status, outcome.code);
  const vendorMessage = outcome.message?.trim() ?? '';
  const words = [
    context.operation ? `${context.operation}:` : undefined,
    vendorMessage !== ''
      ? `Dataverse said "${vendorMessage}"${outcome.code ? ` (${outcome.code})` : ''}.`
      : undefined,
    hint(code, outcome.status),
    code === 'crm_throttled' && outcome.retryAfterMs !== undefined
      ? `Retry after ${new Date(context.now.getTime() + outcome.retryAfterMs).toISOString()}.`
      : undefined,
  ].filter((part) => part !== undefined);
  return new DataverseError(
    code,
    words.join(' ') || undefined,
    { code: outcome.code ?? `HTTP ${outcome.status}`, message: vendorMessage },
    {
      httpStatus: outcome.status,
      ...(outcome.requestId !== undefined ? { requestId: outcome.requestId } : {}),
      ...(code === 'crm_throttled'
        ? { retryAt: new Date(context.now.getTime() + (outcome.retryAfterMs ?? 0)).toISOString() }
        : {}),
    },
  );
}

/** No answer at all: ECONNREFUSED, DNS, TLS or a timeout all mean "cannot be reached". */
export function mapTransportFailure(
  outcome: Extract<AttemptOutcome, { kind: 'transport' }>,
  context: FailureContext,
): DataverseError {
  const origin = new URL(context.environmentUrl).origin;
  const sentence = describeTransportFailure(outcome.failure, origin);
  return new DataverseError(
    'crm_unreachable',
    context.operation ? `${context.operation}: ${sentence}` : sentence,
    { code: outcome.failure.code, message: outcome.failure.message },
  );
}

export function mapAttemptOutcome(outcome: AttemptOutcome, context: FailureContext): DataverseError {
  return outcome.kind === 'response'
    ? mapDataverseFailure(outcome, context)
    : mapTransportFailure(outcome, context);
}

/**
 * Reads Dataverse's error body: `{"error":{"code":"0x…","message":"…"}}` (§1.11). 503/504 pages from
 * the front end are HTML and 401s are often plain text, so anything else becomes a short message.
 */
export function readErrorBody(
  text: string,
  contentType: string | undefined,
): { code?: string; message?: string } {
  if (/json/i.test(contentType ?? '') || text.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown }; Message?: unknown };
      const code =
        typeof parsed.error?.code === 'string' && parsed.error.code !== '' ? parsed.error.code : undefined;
      const message =
        typeof parsed.error?.message === 'string'
          ? parsed.error.message
          : typeof parsed.Message === 'string'
            ? parsed.Message
            : undefined;
      return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
    } catch {
      // not JSON after all: fall through to the text form
    }
  }
  if (/html/i.test(contentType ?? '') || /^\s*<(!DOCTYPE|html)/i.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    const paragraph = /<p>([^<]*)<\/p>/i.exec(text)?.[1]?.trim();
    const message = paragraph ?? title;
    return message ? { message } : {};
  }
  const message = text.trim().slice(0, 300);
  return message !== '' ? { message } : {};
}
