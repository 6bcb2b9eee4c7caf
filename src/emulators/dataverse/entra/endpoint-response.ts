/**
 * Framework-neutral responses: the endpoint handlers return these and `entra-routes.ts` copies them onto
 * the Fastify reply, which keeps the handlers unit-testable without a server.
 */
export interface EndpointResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Entra marks every token-endpoint answer uncacheable. */
const NO_STORE = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' } as const;

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): EndpointResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

export function htmlResponse(
  status: number,
  html: string,
  headers: Record<string, string> = {},
): EndpointResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE, ...headers },
    body: html,
  };
}

export function redirectResponse(location: string, headers: Record<string, string> = {}): EndpointResponse {
  return { status: 302, headers: { location, ...NO_STORE, ...headers }, body: '' };
}
