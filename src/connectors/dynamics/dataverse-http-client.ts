import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { RequestCounter } from '../../domain/index.js';
import { LeadbridgeError } from '../../shared/errors.js';
import { isTemporary, mapDataverseFailure, type DataverseFailure } from './dataverse-error-mapping.js';
import { concurrencyBudgetFor } from './concurrency-budget.js';

/** The subset of pino the connector logs through; secrets and tokens never reach it. */
export interface ConnectorLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error goes back with its retry time. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

export interface DataverseHttpOptions {
  readonly environmentUrl: string;
  readonly connectionId: string;
  readonly accessToken: () => Promise<string>;
  /** Called once when Dataverse answers 401, so a revoked or expired token can be replaced. */
  readonly refreshToken?: () => Promise<string>;
  readonly dispatcher: Dispatcher;
  readonly requestCounter?: RequestCounter;
  readonly dailyWarningThreshold?: number;
  readonly logger?: ConnectorLogger;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  /** Concurrent requests per environment across the whole process (Dataverse allows 52 per user). */
  readonly maxConcurrent?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => Date;
}

export interface DataverseResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** An undici dispatcher for one environment: keep-alive, and the extra CA (a local emulator's) if any. */
export function createDispatcher(extraCaPem?: string): Dispatcher {
  return new Agent({
    keepAliveTimeout: 30_000,
    connect: extraCaPem ? { ca: [...rootCertificates, extraCaPem] } : {},
  });
}

const warnedDays = new Map<string, string>();

/**
 * Requests to one Dataverse environment under Microsoft's limits: a shared concurrency budget,
 * Retry-After honoured on 429, exponential backoff with full jitter on 5xx and timeouts, one token
 * refresh on 401, every request counted for the daily entitlement and logged with its REQ_ID.
 */
export class DataverseHttpClient {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly options: DataverseHttpOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
  }

  get apiRoot(): string {
    return `${this.options.environmentUrl}api/data/v9.2/`;
  }

  async get<T>(path: string, headers: Record<string, string> = {}): Promise<DataverseResponse<T>> {
    return this.send<T>('GET', path, undefined, headers);
  }

  async send<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<DataverseResponse<T>> {
    const budget = concurrencyBudgetFor(this.options.environmentUrl, this.options.maxConcurrent ?? 52);
    let token = await this.options.accessToken();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let response: Response;
      const release = await budget.acquire();
      try {
        response = (await undiciFetch(path.startsWith('https://') ? path : this.apiRoot + path, {
          method,
          dispatcher: this.options.dispatcher,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
          headers: {
            accept: 'application/json',
            'odata-version': '4.0',
            'odata-maxversion': '4.0',
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        })) as unknown as Response;
      } catch (error) {
        release();
        await this.count(1);
        const failure = networkFailure(error);
        this.log('warn', method, path, failure.status, started, undefined, attempt);
        if (attempt < this.retry.maxAttempts) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw new LeadbridgeError(
          'crm_unreachable',
          `${this.options.environmentUrl} did not answer: ${failure.message}`,
          {
            code: failure.code ?? 'network',
            message: failure.message ?? '',
          },
        );
      }
      const text = await response.text().finally(release);
      await this.count(1);
      const requestId = response.headers.get('req_id') ?? undefined;
      this.log(response.ok ? 'info' : 'warn', method, path, response.status, started, requestId, attempt);
      if (response.ok)
        return {
          status: response.status,
          body: (text ? JSON.parse(text) : undefined) as T,
          headers: response.headers,
        };
      const failure = readFailure(response, text);
      if (response.status === 401 && !refreshed && this.options.refreshToken) {
        refreshed = true;
        token = await this.options.refreshToken();
        continue;
      }
      if (isTemporary(failure) && attempt < this.retry.maxAttempts) {
        const wait =
          failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : this.backoff(attempt);
        if (wait <= this.retry.maxRetryAfterMs) {
          await this.sleep(wait);
          continue;
        }
      }
      throw mapDataverseFailure(failure);
    }
  }

  /** Full jitter (AWS architecture blog): a random wait up to the exponential bound. */
  private backoff(attempt: number): number {
    const bound = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * bound);
  }

  private async count(requests: number): Promise<void> {
    const counter = this.options.requestCounter;
    if (!counter) return;
    const day = this.now().toISOString().slice(0, 10);
    const total = await counter.add(this.options.connectionId, day, requests);
    const threshold = this.options.dailyWarningThreshold;
    if (threshold !== undefined && total >= threshold && warnedDays.get(this.options.connectionId) !== day) {
      warnedDays.set(this.options.connectionId, day);
      this.options.logger?.warn(
        { connectionId: this.options.connectionId, day, requests: total, threshold },
        'Daily Dataverse request count reached the warning threshold',
      );
    }
  }

  private log(
    level: 'info' | 'warn',
    method: string,
    path: string,
    status: number,
    started: number,
    requestId: string | undefined,
    attempt: number,
  ) {
    this.options.logger?.[level](
      {
        connectionId: this.options.connectionId,
        method,
        // Paths only: query strings may hold filter values (people's emails), so they stay out of logs.
        path: path.split('?')[0],
        status,
        durationMs: Date.now() - started,
        attempt,
        ...(requestId ? { reqId: requestId } : {}),
      },
      'dataverse request',
    );
  }
}

function readFailure(response: Response, text: string): DataverseFailure {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    code = parsed.error?.code || undefined;
    message = parsed.error?.message;
  } catch {
    message = text.slice(0, 500) || response.statusText;
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    status: response.status,
    ...(code ? { code } : {}),
    ...(message ? { message } : {}),
    ...(Number.isFinite(retryAfter) && response.headers.has('retry-after')
      ? { retryAfterSeconds: retryAfter }
      : {}),
  };
}

function networkFailure(error: unknown): DataverseFailure {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.name === 'TimeoutError' ? 'timeout' : e.cause?.code;
  return { status: 0, ...(code ? { code } : {}), message: e.cause?.message ?? e.message ?? String(error) };
}
