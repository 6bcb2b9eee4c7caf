import { expect } from 'vitest';
import type { RunningEmulator } from './dataverse-emulator.js';

/**
 * A deliberately thin Web API client over Node's `fetch` for the integration tests: it sends exactly
 * the method, headers and body it is given (no client library smoothing anything over), and returns
 * the raw status, headers and text so tests can pin down every byte the emulator answers with.
 */
export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = Record<string, unknown>>(): T;
}

export interface SendOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value (serialised) or raw text (sent as is). */
  readonly body?: unknown;
  readonly raw?: boolean;
  /** Overrides the bearer token; `null` sends no Authorization header. */
  readonly token?: string | null;
}

export interface WebApiHttp {
  /** e.g. https://127.0.0.1:12345/api/data/v9.2/ */
  readonly root: string;
  send(method: string, path: string, options?: SendOptions): Promise<HttpResult>;
  get(path: string, headers?: Readonly<Record<string, string>>): Promise<HttpResult>;
  post(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<HttpResult>;
  patch(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<HttpResult>;
  del(path: string, headers?: Readonly<Record<string, string>>): Promise<HttpResult>;
  /** Rows of an entity set, through `GET <set>/$count`. */
  count(entitySet: string): Promise<number>;
  /** Creates a row and returns its id (from OData-EntityId). */
  create(entitySet: string, body: Record<string, unknown>): Promise<string>;
}

export interface WebApiOptions {
  readonly version?: string;
  /** Where bearer tokens come from; defaults to the emulator's msal-node client (cached tokens). */
  readonly token?: () => Promise<string>;
}

export function webApi(running: RunningEmulator, options: WebApiOptions = {}): WebApiHttp {
  const root = `${running.url}api/data/${options.version ?? 'v9.2'}/`;
  const tokenSource = options.token ?? running.token;
  const send = async (method: string, path: string, options: SendOptions = {}): Promise<HttpResult> => {
    const token = options.token === undefined ? await tokenSource() : options.token;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'odata-version': '4.0',
      'odata-maxversion': '4.0',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = options.raw ? String(options.body) : JSON.stringify(options.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    Object.assign(headers, options.headers ?? {});
    const url = /^https?:\/\//.test(path) ? path : `${root}${path}`;
    const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: <T>() => JSON.parse(text) as T,
    };
  };
  const api: WebApiHttp = {
    root,
    send,
    get: (path, headers = {}) => send('GET', path, { headers }),
    post: (path, body, headers = {}) => send('POST', path, { body, headers }),
    patch: (path, body, headers = {}) => send('PATCH', path, { body, headers }),
    del: (path, headers = {}) => send('DELETE', path, { headers }),
    async count(entitySet) {
      const result = await send('GET', `${entitySet}/$count`);
      expect(result.status, result.text).toBe(200);
      return Number(result.text);
    },
    async create(entitySet, body) {
      const result = await send('POST', entitySet, { body });
      expect(result.status, result.text).toBe(204);
      const entityId = result.headers.get('odata-entityid') ?? '';
      const id = /\(([0-9a-f-]{36})\)$/.exec(entityId)?.[1];
      if (!id) throw new Error(`no id in OData-EntityId '${entityId}'`);
      return id;
    },
  };
  return api;
}

export interface DataverseErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly [key: string]: unknown };
}

/**
 * Asserts a Dataverse error response: status, `{"error":{"code","message"}}` body, and the JSON content
 * type every Web API error carries (protocols/dataverse.md §1.11). Returns the error for further checks.
 */
export function expectDataverseError(
  result: HttpResult,
  status: number,
  code: string,
  message?: string | RegExp,
): DataverseErrorBody['error'] {
  expect(result.status, result.text).toBe(status);
  expect(result.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
  expect(result.headers.get('odata-version')).toBe('4.0');
  const body = result.json<DataverseErrorBody>();
  expect(body.error.code).toBe(code);
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else if (message) expect(body.error.message).toMatch(message);
  return body.error;
}

/** The GUID in an `OData-EntityId` / `Location` header. */
export function idFromEntityUrl(url: string | null): string {
  const id = /\(([0-9a-f-]{36})\)$/.exec(url ?? '')?.[1];
  if (!id) throw new Error(`no id in '${String(url)}'`);
  return id;
}

/**
 * A new app-only token straight from the emulator's v2.0 token endpoint (client credentials, no cache),
 * for tests that move the emulator's clock: a cached token minted at another time would be refused.
 */
export async function freshAppToken(running: RunningEmulator): Promise<string> {
  const app = running.emulator.directory.applications[0];
  if (!app) throw new Error('the demo directory has no application');
  const response = await fetch(`${running.emulator.authority()}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecrets[0]?.secretText ?? '',
      scope: `${running.url}.default`,
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) throw new Error(`token endpoint answered ${response.status}`);
  return body.access_token;
}
