import {
  AuthError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import type { ConnectorLogger } from './connector-logger.js';
import { sendHttp } from './http-transport.js';
import { classifyTransportError, type TransportFailure } from './transport-failure.js';

/**
 * msal-node 5+ sends everything through the global `fetch` and has no CA or agent option; a custom
 * `system.networkClient` (a documented MSAL option, `INetworkModule`) routes its discovery and token
 * calls through our dispatcher instead, so a connection's private CA is trusted for Entra ID too and
 * nothing changes process-wide.
 */

/** MSAL rethrows AuthErrors from the network module unchanged; the transport failure rides along. */
export class EntraTransportError extends AuthError {
  constructor(readonly transportFailure: TransportFailure) {
    super(
      'network_error',
      '',
      `Network request failed: ${transportFailure.code}: ${transportFailure.message}`,
    );
    this.name = 'EntraTransportError';
    Object.setPrototypeOf(this, EntraTransportError.prototype);
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

function jsonBody(status: number, text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    // An HTML error page from a proxy: give MSAL an OAuth-shaped error so it raises a ServerError.
    return {
      error: status >= 500 ? 'temporarily_unavailable' : 'invalid_response',
      error_description: `HTTP ${status}: ${text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 200)}`,
    };
  }
}

/**
 * The network module one connection's MSAL client uses. It remembers the last transport failure,
 * because MSAL swallows the error of a failed discovery request and reports `openid_config_error`.
 */
export class MsalNetworkClient implements INetworkModule {
  /** The last request that got no answer, cleared by the next one that got any. */
  lastFailure: TransportFailure | undefined;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly logger: ConnectorLogger,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options, undefined);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout: number | undefined,
  ): Promise<NetworkResponse<T>> {
    const started = Date.now();
    // Paths only: token requests carry secrets in their bodies and codes in some query strings.
    const path = new URL(url).pathname;
    try {
      const response = await sendHttp(this.dispatcher, {
        method,
        url,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        timeoutMs: timeout ?? this.timeoutMs,
      });
      this.lastFailure = undefined;
      this.logger.info(
        {
          service: 'entra',
          method,
          path,
          status: response.status,
          durationMs: Date.now() - started,
          ...(response.headers['x-ms-request-id'] ? { reqId: response.headers['x-ms-request-id'] } : {}),
        },
        'entra request',
      );
      return {
        status: response.status,
        headers: response.headers,
        body: jsonBody(response.status, response.body) as T,
      };
    } catch (error) {
      const failure = classifyTransportError(error);
      this.lastFailure = failure;
      this.logger.warn(
        { service: 'entra', method, path, durationMs: Date.now() - started, error: failure.code },
        'entra request failed',
      );
      throw new EntraTransportError(failure);
    }
  }
}
