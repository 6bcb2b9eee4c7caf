import { rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import { RequestTimeoutError } from './transport-failure.js';

/**
 * HTTPS to Dataverse and Entra ID through undici. A connection that must trust a private CA (a local
 * emulator, a TLS-inspecting proxy) gets its own dispatcher with that CA — passed in explicitly, never
 * process-wide — next to the public roots, so the same dispatcher still reaches Microsoft.
 */

export interface DispatcherOptions {
  /** Extra trusted CA certificates (PEM). */
  readonly caPem?: string | readonly string[];
  readonly connectTimeoutMs?: number;
  /** How long an idle keep-alive socket stays open. */
  readonly keepAliveTimeoutMs?: number;
  /** Sockets per origin; the concurrency budget, not this, bounds requests in flight. */
  readonly connectionsPerOrigin?: number;
}

export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const extra =
    options.caPem === undefined
      ? []
      : typeof options.caPem === 'string'
        ? [options.caPem]
        : [...options.caPem];
  return new Agent({
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    // Our own per-attempt timer bounds the whole exchange; these only catch a stalled socket.
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(options.connectionsPerOrigin !== undefined ? { connections: options.connectionsPerOrigin } : {}),
    connect: {
      timeout: options.connectTimeoutMs ?? 10_000,
      ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
    },
  });
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The whole exchange, body included, must finish within this. */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sends one request. Throws the transport's own error (classified later), or {@link RequestTimeoutError}. */
export async function sendHttp(dispatcher: Dispatcher, message: HttpRequest): Promise<HttpResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, message.timeoutMs);
  timer.unref();
  try {
    const response = await request(message.url, {
      dispatcher,
      method: message.method,
      headers: message.headers,
      ...(message.body !== undefined ? { body: message.body } : {}),
      signal: controller.signal,
    });
    const body = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    return { status: response.statusCode, headers, body };
  } catch (error) {
    if (timedOut) throw new RequestTimeoutError(message.timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
