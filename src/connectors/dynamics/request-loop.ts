import type { Dispatcher } from 'undici';
import { isMultipart } from './batch/batch-response.js';
import type { ConcurrencyBudget } from './concurrency-budget.js';
import {
  connectionStatusFrom,
  isConnectionLevelError,
  type ConnectionOutcome,
  type ConnectionStatusReport,
} from './connection-status.js';
import type { ConnectorLogger } from './connector-logger.js';
import { DataverseError } from './dataverse-error.js';
import { mapAttemptOutcome, readErrorBody } from './dataverse-error-mapping.js';
import type { DataverseRequest, DataverseSender } from './dataverse-request.js';
import type { AccessTokenSource } from './entra-token-provider.js';
import { sendHttp, type HttpResponse } from './http-transport.js';
import type { RequestMeter } from './request-meter.js';
import { parseRetryAfter, planRetry, type AttemptOutcome, type RetryPolicy } from './retry-decision.js';
import { classifyTransportError } from './transport-failure.js';

export interface RequestLoopOptions {
  /** Normalised, `https://host/`. */
  readonly environmentUrl: string;
  /** `/api/data/v9.2/` */
  readonly servicePath: string;
  readonly connectionId: string;
  readonly tokens: AccessTokenSource;
  readonly dispatcher: Dispatcher;
  readonly budget: ConcurrencyBudget;
  readonly meter: RequestMeter;
  readonly policy: RetryPolicy;
  readonly logger: ConnectorLogger;
  readonly requestTimeoutMs: number;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * Every Web API request of one client goes through here, under Microsoft's limits: each attempt draws
 * from the environment's shared concurrency budget, 429 waits exactly `Retry-After`, 5xx and timeouts
 * back off with full jitter, a 401 refreshes the token once, every request is counted for the day and
 * logged with its REQ_ID, and the outcome feeds the connection status.
 */
export class DataverseRequestLoop implements DataverseSender {
  readonly environmentUrl: string;
  readonly servicePath: string;
  readonly serviceRoot: string;
  private lastOutcome: ConnectionOutcome | undefined;

  constructor(private readonly options: RequestLoopOptions) {
    this.environmentUrl = options.environmentUrl;
    this.servicePath = options.servicePath;
    this.serviceRoot = `${options.environmentUrl.slice(0, -1)}${options.servicePath}`;
  }

  now(): Date {
    return this.options.now();
  }

  /** The status a person sees, from the last call's outcome. */
  connectionStatus(): ConnectionStatusReport {
    return connectionStatusFrom(this.lastOutcome, this.options.now());
  }

  /** A path relative to the service root, or a link Dataverse gave out, as an absolute URL. */
  urlOf(path: string): string {
    if (!/^https:\/\//i.test(path)) return `${this.serviceRoot}${path}`;
    // A nextLink is absolute: follow it only within this environment, where the token belongs.
    if (new URL(path).origin !== new URL(this.environmentUrl).origin)
      throw new DataverseError(
        'crm_unavailable',
        `Dynamics 365 pointed to another host (${new URL(path).origin}).`,
        undefined,
      );
    return path;
  }

  private logPath(url: string): string {
    // No query strings in logs: `$filter` values are people's e-mails and names.
    return new URL(url).pathname.replace(this.servicePath, '');
  }

  async send(request: DataverseRequest): Promise<HttpResponse> {
    const url = this.urlOf(request.path);
    const operation = `${request.method} ${this.logPath(url)}`;
    const started = this.options.now().getTime();
    let token: string;
    try {
      token = await this.options.tokens.accessToken({ forceRefresh: false });
    } catch (error) {
      this.remember(error);
      throw error;
    }
    let refreshed = false;
    let ambiguous = false;
    for (let attempt = 1; ; attempt++) {
      const { outcome, response } = await this.attempt(request, url, token, attempt);
      if (response !== undefined) {
        this.remember(undefined);
        return response;
      }
      // Dataverse refused the token (expired early, revoked): one fresh token, then give up.
      if (outcome.kind === 'response' && outcome.status === 401 && !refreshed) {
        refreshed = true;
        attempt--;
        try {
          token = await this.options.tokens.accessToken({ forceRefresh: true });
        } catch (error) {
          this.remember(error);
          throw error;
        }
        continue;
      }
      const plan = planRetry(
        outcome,
        { attempt, elapsedMs: this.options.now().getTime() - started },
        this.options.policy,
        this.options.random,
      );
      if (plan.retry) {
        if (outcome.kind === 'transport' ? outcome.failure.kind !== 'refused' : outcome.status !== 429)
          ambiguous = true;
        this.options.logger.warn(
          {
            connectionId: this.options.connectionId,
            operation,
            attempt,
            retryInMs: plan.delayMs,
            honoursRetryAfter: plan.honoursRetryAfter,
            ...(outcome.kind === 'response'
              ? { status: outcome.status, code: outcome.code }
              : { error: outcome.failure.code }),
          },
          'dataverse request will be retried',
        );
        await this.options.sleep(plan.delayMs);
        continue;
      }
      const error = mapAttemptOutcome(outcome, {
        environmentUrl: this.environmentUrl,
        operation,
        now: this.options.now(),
      }).with({
        attempts: attempt,
        afterAmbiguousFailure: ambiguous,
      });
      this.remember(error);
      throw error;
    }
  }

  /** One attempt: a slot from the budget, the exchange, the count and the log line. */
  private async attempt(
    request: DataverseRequest,
    url: string,
    token: string,
    attempt: number,
  ): Promise<{ outcome: AttemptOutcome; response?: never } | { outcome?: never; response: HttpResponse }> {
    const release = await this.options.budget.acquire();
    const started = this.options.now().getTime();
    let response: HttpResponse;
    try {
      response = await sendHttp(this.options.dispatcher, {
        method: request.method,
        url,
        headers: {
          Accept: 'application/json',
          'OData-MaxVersion': '4.0',
          'OData-Version': '4.0',
          // Defeats caching of collections (MSDocs compose-http-requests-handle-errors, §HTTP headers).
          'If-None-Match': 'null',
          ...request.headers,
          Authorization: `Bearer ${token}`,
        },
        ...(request.body !== undefined ? { body: request.body } : {}),
        timeoutMs: this.options.requestTimeoutMs,
      });
    } catch (error) {
      const failure = classifyTransportError(error);
      this.options.logger.warn(
        {
          connectionId: this.options.connectionId,
          method: request.method,
          path: this.logPath(url),
          durationMs: this.options.now().getTime() - started,
          attempt,
          error: failure.code,
        },
        'dataverse request failed',
      );
      return { outcome: { kind: 'transport', failure } };
    } finally {
      release();
    }
    const requestId = response.headers['req_id'];
    const processedBatch = request.batch === true && isMultipart(response.headers['content-type']);
    const ok = response.status < 400 || processedBatch;
    (ok ? this.options.logger.info : this.options.logger.warn).call(
      this.options.logger,
      {
        connectionId: this.options.connectionId,
        method: request.method,
        path: this.logPath(url),
        status: response.status,
        durationMs: this.options.now().getTime() - started,
        attempt,
        ...(request.operations !== undefined ? { operations: request.operations } : {}),
        ...(requestId !== undefined ? { reqId: requestId } : {}),
      },
      'dataverse request',
    );
    // Throttled requests were refused before running, so they do not draw on the entitlement.
    if (response.status !== 429) await this.options.meter.record(request.operations ?? 1);
    if (ok) return { response };
    const body = readErrorBody(response.body, response.headers['content-type']);
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.options.now().getTime());
    return {
      outcome: {
        kind: 'response',
        status: response.status,
        ...body,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
      },
    };
  }

  /** Only connection-level errors change what the connection status says; record errors do not. */
  private remember(error: unknown): void {
    const at = this.options.now();
    if (error === undefined) this.lastOutcome = { ok: true, at };
    else if (isConnectionLevelError(error)) this.lastOutcome = { ok: false, at, error };
  }
}
