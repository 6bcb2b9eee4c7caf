/** Codes the UI itself produces when no `{ error }` body came back from the API. */
export type ClientSideErrorCode = 'network' | 'unexpected_response';

/**
 * An API failure in the shape a person can read: the API's `{ error: { code, message, field? } }`
 * when it sent one, otherwise a message the UI wrote. Pages show `message`; forms put `fieldMessage`
 * under the input named by `field`.
 */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';

  constructor(
    /** The API's error code (docs/errors.md), or a client-side code. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    /** The request field at fault, e.g. `environmentUrl`. */
    readonly field?: string,
  ) {
    super(message);
  }

  /**
   * The message without the catalogue's generic lead-in, for showing under the input itself:
   * the API answers `The request body is not valid. tenantId: Use the GUID …`.
   */
  get fieldMessage(): string {
    if (!this.field) return this.message;
    const marker = `${this.field}: `;
    const at = this.message.indexOf(marker);
    return at === -1 ? this.message : this.message.slice(at + marker.length);
  }
}

/** Anything thrown while calling the API, as an ApiClientError (a bug in a page shows too, never vanishes). */
export function toApiClientError(error: unknown): ApiClientError {
  if (error instanceof ApiClientError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiClientError('unexpected_response', `Something went wrong in this page: ${detail}`, 0);
}
