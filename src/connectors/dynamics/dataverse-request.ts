import { DataverseError } from './dataverse-error.js';
import type { HttpRequest, HttpResponse } from './http-transport.js';

/** A row as the Web API sends and takes it: column names to JSON values, annotations included. */
export type DataverseRecord = Record<string, unknown>;

/** One Web API request, before the client adds the token, the standard headers and its retries. */
export interface DataverseRequest {
  readonly method: HttpRequest['method'];
  /** Relative to the service root, or an absolute URL of this environment (a nextLink). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Operations this request carries, for the entitlement count (a batch or a bulk write carries many). */
  readonly operations?: number;
  /** A `$batch` answered with a multipart body was processed, whatever its status: never retry it. */
  readonly batch?: boolean;
}

/**
 * What the modules beside the client (batches, bulk writes) need from its request loop: they build
 * requests and read answers; the client owns tokens, limits, retries, counting and logging.
 */
export interface DataverseSender {
  /** `/api/data/v9.2/` */
  readonly servicePath: string;
  /** `https://host/` */
  readonly environmentUrl: string;
  now(): Date;
  send(request: DataverseRequest): Promise<HttpResponse>;
}

export function parseJson(text: string, what: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new DataverseError(
      'crm_unavailable',
      `${what}: Dynamics 365 answered with something that is not JSON.`,
      undefined,
    );
  }
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
