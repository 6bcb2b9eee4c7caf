/**
 * The only error `parseBatchRequest` throws for bad input. Dataverse answers a malformed `$batch` body with
 * HTTP 400 and the message in the standard error body (docs/protocols/dataverse.md §1.11, §3), so the HTTP
 * layer can map this straight to a 400 without inspecting the message.
 */
export class BatchFormatError extends Error {
  readonly status = 400;

  constructor(message: string) {
    super(message);
    this.name = 'BatchFormatError';
  }
}
