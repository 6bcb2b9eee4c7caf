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
  data_dir_unwritable: {
    status: 500,
    retryable: false,
    message: 'The data directory cannot be created or written.',
  },
  invalid_body: { status: 400, retryable: false, message: 'The request body is not valid.' },
  not_found: { status: 404, retryable: false, message: 'The resource does not exist.' },
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
