/**
 * The emulator's own request/response shapes. Handlers work on these instead of Fastify objects so the
 * same handler serves a top-level HTTP request and a part of a `$batch` body.
 */
export interface EmulatorRequest {
  readonly method: string;
  /** Absolute URL, e.g. https://127.0.0.1:8443/api/data/v9.2/leads?$top=1 */
  readonly url: URL;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw body text ('' when none). */
  readonly body: string;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}
