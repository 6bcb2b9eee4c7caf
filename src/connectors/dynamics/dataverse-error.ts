import { LeadbridgeError, type ErrorCode } from '../../shared/errors.js';

export interface DataverseErrorDetails {
  /** The HTTP status Dataverse (or Entra ID) answered, when it answered. */
  readonly httpStatus?: number;
  /** The `REQ_ID` header: what Microsoft support asks for. */
  readonly requestId?: string;
  /** ISO instant after which a throttled call may be tried again. */
  readonly retryAt?: string;
  /** How many attempts were made before giving up. */
  readonly attempts?: number;
  /**
   * True when an earlier attempt of this same request failed without a clear answer (timeout, broken
   * connection, 5xx): a create may then have been applied although this attempt says "duplicate".
   */
  readonly afterAmbiguousFailure?: boolean;
}

/**
 * A Leadbridge error raised at the Dynamics edge: the catalogue code and message, the vendor's own
 * code and message (`vendor`), and what the log and the connection status need besides.
 */
export class DataverseError extends LeadbridgeError {
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly retryAt?: string;
  readonly attempts?: number;
  readonly afterAmbiguousFailure?: boolean;

  constructor(
    code: ErrorCode,
    readonly detail: string | undefined,
    vendor: { readonly code: string; readonly message: string } | undefined,
    details: DataverseErrorDetails = {},
  ) {
    super(code, detail, vendor);
    this.name = 'DataverseError';
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.retryAt !== undefined) this.retryAt = details.retryAt;
    if (details.attempts !== undefined) this.attempts = details.attempts;
    if (details.afterAmbiguousFailure !== undefined)
      this.afterAmbiguousFailure = details.afterAmbiguousFailure;
  }

  /** The same error with more context (attempts made, ambiguity), keeping everything else. */
  with(details: DataverseErrorDetails): DataverseError {
    return new DataverseError(this.code, this.detail, this.vendor, { ...this.details(), ...details });
  }

  private details(): DataverseErrorDetails {
    return {
      ...(this.httpStatus !== undefined ? { httpStatus: this.httpStatus } : {}),
      ...(this.requestId !== undefined ? { requestId: this.requestId } : {}),
      ...(this.retryAt !== undefined ? { retryAt: this.retryAt } : {}),
      ...(this.attempts !== undefined ? { attempts: this.attempts } : {}),
      ...(this.afterAmbiguousFailure !== undefined
        ? { afterAmbiguousFailure: this.afterAmbiguousFailure }
        : {}),
    };
  }
}
