import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { RequestCounter } from '../../domain/index.js';
import { buildBatchRequest, isChangeSet, type BatchItem } from './batch/batch-request.js';
import {
  BatchResponseFormatError,
  isMultipart,
  parseBatchResponse,
  type BatchPartResponse,
  type BatchResponseItem,
} from './batch/batch-response.js';
import type { ConcurrencyBudgetRegistry } from './concurrency-budget.js';
import { processConcurrencyBudgets, type ConcurrencyBudget } from './concurrency-budget.js';
import {
  connectionStatusFrom,
  isConnectionLevelError,
  type ConnectionOutcome,
  type ConnectionStatusReport,
} from './connection-status.js';
import { silentLogger, type ConnectorLogger } from './connector-logger.js';
import { DataverseError } from './dataverse-error.js';
import { mapAttemptOutcome, mapDataverseFailure, readErrorBody } from './dataverse-error-mapping.js';
import type { AccessTokenSource } from './entra-token-provider.js';
import { normalizeEnvironmentUrl } from './environment-url.js';
import { createDispatcher, sendHttp, type HttpRequest, type HttpResponse } from './http-transport.js';
import {
  assertIdentifier,
  idFromEntityUrl,
  queryString,
  recordPath,
  type QueryOptions,
  type RecordKey,
} from './odata-syntax.js';
import { RequestMeter, type RequestUsage } from './request-meter.js';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  planRetry,
  type AttemptOutcome,
  type RetryPolicy,
} from './retry-decision.js';
import {
  MetadataCache,
  parseTableMetadata,
  tableMetadataRequests,
  type ChoiceOption,
  type TableMetadata,
} from './table-metadata.js';
import { classifyTransportError } from './transport-failure.js';

export type DataverseRecord = Record<string, unknown>;

export interface WhoAmI {
  readonly userId: string;
  readonly businessUnitId: string;
  readonly organizationId: string;
}

export interface DataverseClientOptions {
  /** The environment, e.g. `https://contoso.crm4.dynamics.com/`; validated and normalised here. */
  readonly environmentUrl: string;
  /** Whose requests these are: the daily count and the logs are kept per connection. */
  readonly connectionId: string;
  readonly tokens: AccessTokenSource;
  /** Non-Dataverse hosts accepted as the environment (local emulators), `host:port`. */
  readonly allowedHosts?: readonly string[];
  readonly allowLoopback?: boolean;
  /** A shared undici dispatcher; without one the client makes its own (with `caPem`) and closes it in `close()`. */
  readonly dispatcher?: Dispatcher;
  /** Extra CA to trust (an emulator's), when the client makes its own dispatcher. */
  readonly caPem?: string;
  /** Web API version, default `9.2`. */
  readonly apiVersion?: string;
  /** Per attempt, the whole exchange. Dataverse itself gives up on a request after 2 minutes. */
  readonly requestTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Where the per-environment concurrency budgets live; default one per process. */
  readonly concurrencyBudgets?: ConcurrencyBudgetRegistry;
  /** This client's cap on the environment's budget (the strictest cap sharing a budget wins). */
  readonly maxConcurrentRequests?: number;
  readonly requestCounter?: RequestCounter;
  readonly dailyRequestWarningThreshold?: number;
  readonly logger?: ConnectorLogger;
  /** How long table metadata stays cached; default 15 minutes. */
  readonly metadataTtlMs?: number;
  /** Injected for tests: the clock, the wait between attempts, and the jitter's randomness. */
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface WriteOptions {
  /** `Prefer: return=representation`: the written row comes back. */
  readonly returnRepresentation?: boolean;
  readonly select?: readonly string[];
}

export interface RetrieveAllOptions extends Omit<QueryOptions, 'top'> {
  /** `odata.maxpagesize`, at most 5000 (the default). */
  readonly pageSize?: number;
  /** `odata.include-annotations` value, e.g. `OData.Community.Display.V1.FormattedValue` or `*`. */
  readonly annotations?: string;
}

/** One request item's outcome, in the order the items were given. */
export type BatchItemOutcome =
  | { readonly status: 'succeeded'; readonly responses: readonly BatchPartResult[] }
  | { readonly status: 'failed'; readonly error: DataverseError }
  /** Dataverse stopped at an earlier failure (no `continueOnError`), or rolled this change set back. */
  | { readonly status: 'not_executed' };

export interface BatchPartResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or undefined for an empty body. */
  readonly body: unknown;
  readonly contentId?: string;
  /** The GUID from `OData-EntityId`, for created rows. */
  readonly id?: string;
}

interface Send {
  readonly method: HttpRequest['method'];
  /** Relative to the service root, or an absolute URL of this environment (a nextLink). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Operations this request carries, for the entitlement count (a batch carries many). */
  readonly operations?: number;
  /** A `$batch` answered with a multipart body was processed, whatever its status: never retry it. */
  readonly batch?: boolean;
}

const MAX_BULK_TARGETS = 1000;
const MAX_PAGE_SIZE = 5000;

function parseJson(text: string, what: string): unknown {
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

/**
 * A thin client for one Dataverse environment on undici: create, update, upsert, retrieve, paged
 * retrieve-all, `$batch` with change sets, CreateMultiple/UpdateMultiple/UpsertMultiple, table
 * metadata and WhoAmI — under Microsoft's limits. Every attempt draws from the environment's shared
 * concurrency budget, 429 waits exactly `Retry-After`, 5xx and timeouts back off with full jitter,
 * a 401 refreshes the token once, every request is counted for the day and logged with its REQ_ID.
 */
export class DataverseClient {
  readonly environmentUrl: string;
  readonly serviceRoot: string;
  private readonly servicePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly budget: ConcurrencyBudget;
  private readonly meter: RequestMeter;
  private readonly policy: RetryPolicy;
  private readonly logger: ConnectorLogger;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly metadata: MetadataCache<TableMetadata>;
  private lastOutcome: ConnectionOutcome | undefined;

  constructor(private readonly options: DataverseClientOptions) {
    this.environmentUrl = normalizeEnvironmentUrl(options.environmentUrl, {
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.allowLoopback !== undefined ? { allowLoopback: options.allowLoopback } : {}),
    });
    this.servicePath = `/api/data/v${options.apiVersion ?? '9.2'}/`;
    this.serviceRoot = `${this.environmentUrl.slice(0, -1)}${this.servicePath}`;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? createDispatcher(options.caPem !== undefined ? { caPem: options.caPem } : {});
    this.budget = (options.concurrencyBudgets ?? processConcurrencyBudgets).budgetFor(
      this.environmentUrl,
      options.maxConcurrentRequests,
    );
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.meter = new RequestMeter({
      connectionId: options.connectionId,
      ...(options.requestCounter ? { counter: options.requestCounter } : {}),
      ...(options.dailyRequestWarningThreshold !== undefined
        ? { warningThreshold: options.dailyRequestWarningThreshold }
        : {}),
      logger: this.logger,
      now: this.now,
    });
    this.metadata = new MetadataCache(options.metadataTtlMs ?? 15 * 60_000, () => this.now().getTime());
  }

  // ---- records ---------------------------------------------------------------------------------

  /** `GET WhoAmI`: who the token is, in which business unit and organisation (§5.3). */
  async whoAmI(): Promise<WhoAmI> {
    const body = (await this.json({ method: 'GET', path: 'WhoAmI' }, 'WhoAmI')) as
      { UserId?: string; BusinessUnitId?: string; OrganizationId?: string } | undefined;
    if (!body?.UserId || !body.OrganizationId || !body.BusinessUnitId)
      throw new DataverseError(
        'crm_unavailable',
        'WhoAmI answered without a user, business unit or organisation.',
        undefined,
      );
    return { userId: body.UserId, businessUnitId: body.BusinessUnitId, organizationId: body.OrganizationId };
  }

  /** `POST <set>`: the new row's id (from `OData-EntityId`), and the row itself with `returnRepresentation`. */
  async create(
    entitySet: string,
    record: DataverseRecord,
    options: WriteOptions = {},
  ): Promise<{ readonly id?: string; readonly record?: DataverseRecord }> {
    const response = await this.send({
      method: 'POST',
      path: `${assertIdentifier(entitySet, 'entity set')}${queryString(options.select ? { select: options.select } : {})}`,
      headers: this.writeHeaders(options),
      body: JSON.stringify(record),
    });
    const written = parseJson(response.body, `POST ${entitySet}`) as DataverseRecord | undefined;
    const id = idFromEntityUrl(response.headers['odata-entityid']);
    return { ...(id !== undefined ? { id } : {}), ...(written !== undefined ? { record: written } : {}) };
  }

  /** `PATCH <set>(<key>)` with `If-Match: *`: update only — a missing row is `crm_record_not_found`, never created. */
  async update(
    entitySet: string,
    key: RecordKey,
    changes: DataverseRecord,
    options: WriteOptions & { readonly ifMatch?: string } = {},
  ): Promise<{ readonly record?: DataverseRecord }> {
    const response = await this.send({
      method: 'PATCH',
      path: `${recordPath(entitySet, key)}${queryString(options.select ? { select: options.select } : {})}`,
      headers: { ...this.writeHeaders(options), 'If-Match': options.ifMatch ?? '*' },
      body: JSON.stringify(changes),
    });
    const written = parseJson(response.body, `PATCH ${entitySet}`) as DataverseRecord | undefined;
    return written !== undefined ? { record: written } : {};
  }

  /**
   * `PATCH <set>(<key>)` without preconditions: creates or updates (§1.8). Whether it created is only
   * known with `returnRepresentation` (201 vs 200).
   */
  async upsert(
    entitySet: string,
    key: RecordKey,
    record: DataverseRecord,
    options: WriteOptions = {},
  ): Promise<{ readonly created?: boolean; readonly id?: string; readonly record?: DataverseRecord }> {
    const response = await this.send({
      method: 'PATCH',
      path: `${recordPath(entitySet, key)}${queryString(options.select ? { select: options.select } : {})}`,
      headers: this.writeHeaders(options),
      body: JSON.stringify(record),
    });
    const written = parseJson(response.body, `PATCH ${entitySet}`) as DataverseRecord | undefined;
    const id =
      idFromEntityUrl(response.headers['odata-entityid']) ??
      (typeof key === 'string' ? key.toLowerCase() : undefined);
    return {
      ...(options.returnRepresentation ? { created: response.status === 201 } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(written !== undefined ? { record: written } : {}),
    };
  }

  async delete(
    entitySet: string,
    key: RecordKey,
    options: { readonly ifMatch?: string } = {},
  ): Promise<void> {
    await this.send({
      method: 'DELETE',
      path: recordPath(entitySet, key),
      ...(options.ifMatch ? { headers: { 'If-Match': options.ifMatch } } : {}),
    });
  }

  /** `GET <set>(<key>)`; a missing row is `crm_record_not_found`. */
  async retrieve(
    entitySet: string,
    key: RecordKey,
    options: Pick<QueryOptions, 'select' | 'expand'> & { readonly annotations?: string } = {},
  ): Promise<DataverseRecord> {
    const response = await this.send({
      method: 'GET',
      path: `${recordPath(entitySet, key)}${queryString(options)}`,
      ...(options.annotations
        ? { headers: { Prefer: `odata.include-annotations="${options.annotations}"` } }
        : {}),
    });
    return (parseJson(response.body, `GET ${entitySet}`) ?? {}) as DataverseRecord;
  }

  /**
   * Every matching row, page by page: follows `@odata.nextLink` unchanged and re-sends the same
   * `odata.maxpagesize` each time (§2), holding one page in memory at a time.
   */
  async *retrievePages(
    entitySet: string,
    options: RetrieveAllOptions = {},
  ): AsyncGenerator<DataverseRecord[]> {
    const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
      throw new DataverseError('crm_validation_failed', `pageSize must be 1 to ${MAX_PAGE_SIZE}.`, undefined);
    const prefer = [`odata.maxpagesize=${pageSize}`];
    if (options.annotations) prefer.push(`odata.include-annotations="${options.annotations}"`);
    const headers = { Prefer: prefer.join(',') };
    let path: string | undefined = `${assertIdentifier(entitySet, 'entity set')}${queryString(options)}`;
    while (path !== undefined) {
      const response = await this.send({ method: 'GET', path, headers });
      const page = parseJson(response.body, `GET ${entitySet}`) as
        { value?: DataverseRecord[]; '@odata.nextLink'?: string } | undefined;
      yield page?.value ?? [];
      path = page?.['@odata.nextLink'];
    }
  }

  /** The rows of {@link retrievePages}, one at a time. */
  async *retrieveAll(entitySet: string, options: RetrieveAllOptions = {}): AsyncGenerator<DataverseRecord> {
    for await (const page of this.retrievePages(entitySet, options)) yield* page;
  }

  // ---- bulk ------------------------------------------------------------------------------------

  /**
   * `CreateMultiple` (MSDocs bulk-operations): up to 1,000 rows of one table per request, atomically;
   * larger inputs go in chunks of `chunkSize`. Returns the new ids in input order.
   */
  async createMultiple(
    entitySet: string,
    logicalName: string,
    records: readonly DataverseRecord[],
    options: { readonly chunkSize?: number } = {},
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const chunk of this.chunks(records, options.chunkSize)) {
      const body = await this.bulk('CreateMultiple', entitySet, logicalName, chunk);
      const returned = (body as { Ids?: unknown } | undefined)?.Ids;
      if (!Array.isArray(returned) || returned.length !== chunk.length)
        throw new DataverseError(
          'crm_unavailable',
          'CreateMultiple answered without one id per row.',
          undefined,
        );
      ids.push(...returned.map((id) => String(id).toLowerCase()));
    }
    return ids;
  }

  /** `UpdateMultiple`: every row must carry its primary key. */
  async updateMultiple(
    entitySet: string,
    logicalName: string,
    records: readonly DataverseRecord[],
    options: { readonly chunkSize?: number } = {},
  ): Promise<void> {
    for (const chunk of this.chunks(records, options.chunkSize))
      await this.bulk('UpdateMultiple', entitySet, logicalName, chunk);
  }

  /** `UpsertMultiple`: rows with a primary key (or alternate key) are created or updated — idempotent. */
  async upsertMultiple(
    entitySet: string,
    logicalName: string,
    records: readonly DataverseRecord[],
    options: { readonly chunkSize?: number } = {},
  ): Promise<void> {
    for (const chunk of this.chunks(records, options.chunkSize))
      await this.bulk('UpsertMultiple', entitySet, logicalName, chunk);
  }

  /**
   * `$batch`: operations run in order; each change set is all-or-nothing. Without `continueOnError`
   * Dataverse stops at the first failure, so later items are `not_executed`. The whole batch is one
   * request for service protection but counts one per operation for the entitlement (§3–4).
   */
  async executeBatch(
    items: readonly BatchItem[],
    options: { readonly continueOnError?: boolean } = {},
  ): Promise<BatchItemOutcome[]> {
    const built = buildBatchRequest(items, { servicePath: this.servicePath, newId: randomUUID });
    const response = await this.send({
      method: 'POST',
      path: '$batch',
      headers: {
        'Content-Type': built.contentType,
        ...(options.continueOnError ? { Prefer: 'odata.continue-on-error' } : {}),
      },
      body: built.body,
      operations: built.operationCount,
      batch: true,
    });
    let parsed: BatchResponseItem[];
    try {
      parsed = parseBatchResponse(response.headers['content-type'], response.body);
    } catch (error) {
      if (error instanceof BatchResponseFormatError)
        throw new DataverseError('crm_unavailable', error.message, undefined, {
          httpStatus: response.status,
        });
      throw error;
    }
    return this.matchBatchResponses(items, parsed, response.headers['req_id']);
  }

  // ---- metadata --------------------------------------------------------------------------------

  /** Columns, required levels, maximum lengths and choice options of a table; cached for `metadataTtlMs`. */
  tableMetadata(logicalName: string): Promise<TableMetadata> {
    assertIdentifier(logicalName, 'table');
    return this.metadata.get(logicalName.toLowerCase(), async () => {
      const outcomes = await this.executeBatch(tableMetadataRequests(logicalName.toLowerCase()), {
        continueOnError: true,
      });
      const bodies = outcomes.map((outcome, index) => {
        // The table itself must exist; a cast nobody implements (no memo columns…) just means none.
        if (outcome.status === 'failed' && index === 0) throw outcome.error;
        return outcome.status === 'succeeded' ? outcome.responses[0]?.body : undefined;
      });
      return parseTableMetadata(bodies);
    });
  }

  /** The options of a choice column with their labels, e.g. lead.leadsourcecode. */
  async choiceOptions(logicalName: string, column: string): Promise<readonly ChoiceOption[]> {
    const table = await this.tableMetadata(logicalName);
    const found = table.columns.get(column.toLowerCase());
    if (found?.options === undefined)
      throw new DataverseError(
        'crm_validation_failed',
        `${logicalName}.${column} is not a choice column.`,
        undefined,
      );
    return found.options;
  }

  // ---- state -----------------------------------------------------------------------------------

  /** Today's request count for the connection, and whether the warning threshold was reached. */
  requestUsage(): Promise<RequestUsage> {
    return this.meter.usage();
  }

  /** The status a person sees, from the last call's outcome. */
  connectionStatus(): ConnectionStatusReport {
    return connectionStatusFrom(this.lastOutcome, this.now());
  }

  /** Requests in flight against the environment's shared budget (diagnostics). */
  get concurrency(): { readonly limit: number; readonly inFlight: number; readonly peakInFlight: number } {
    return {
      limit: this.budget.limit,
      inFlight: this.budget.inFlight,
      peakInFlight: this.budget.peakInFlight,
    };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // ---- the request loop ------------------------------------------------------------------------

  private writeHeaders(options: WriteOptions): Record<string, string> {
    return {
      'Content-Type': 'application/json; charset=utf-8',
      ...(options.returnRepresentation ? { Prefer: 'return=representation' } : {}),
    };
  }

  private *chunks(
    records: readonly DataverseRecord[],
    chunkSize = MAX_BULK_TARGETS,
  ): Generator<DataverseRecord[]> {
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_BULK_TARGETS)
      throw new DataverseError(
        'crm_validation_failed',
        `chunkSize must be 1 to ${MAX_BULK_TARGETS}.`,
        undefined,
      );
    for (let start = 0; start < records.length; start += chunkSize)
      yield records.slice(start, start + chunkSize);
  }

  private async bulk(
    action: 'CreateMultiple' | 'UpdateMultiple' | 'UpsertMultiple',
    entitySet: string,
    logicalName: string,
    records: readonly DataverseRecord[],
  ): Promise<unknown> {
    assertIdentifier(logicalName, 'table');
    const type = `Microsoft.Dynamics.CRM.${logicalName}`;
    const response = await this.send({
      method: 'POST',
      path: `${assertIdentifier(entitySet, 'entity set')}/Microsoft.Dynamics.CRM.${action}`,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ Targets: records.map((record) => ({ ...record, '@odata.type': type })) }),
    });
    return parseJson(response.body, action);
  }

  private async json(request: Send, what: string): Promise<unknown> {
    return parseJson((await this.send(request)).body, what);
  }

  private urlOf(path: string): string {
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

  private async send(request: Send): Promise<HttpResponse> {
    const url = this.urlOf(request.path);
    const operation = `${request.method} ${this.logPath(url)}`;
    const started = this.now().getTime();
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
        { attempt, elapsedMs: this.now().getTime() - started },
        this.policy,
        this.random,
      );
      if (plan.retry) {
        if (outcome.kind === 'transport' ? outcome.failure.kind !== 'refused' : outcome.status !== 429)
          ambiguous = true;
        this.logger.warn(
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
        await this.sleep(plan.delayMs);
        continue;
      }
      const error = mapAttemptOutcome(outcome, {
        environmentUrl: this.environmentUrl,
        operation,
        now: this.now(),
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
    request: Send,
    url: string,
    token: string,
    attempt: number,
  ): Promise<{ outcome: AttemptOutcome; response?: never } | { outcome?: never; response: HttpResponse }> {
    const release = await this.budget.acquire();
    const started = this.now().getTime();
    let response: HttpResponse;
    try {
      response = await sendHttp(this.dispatcher, {
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
        timeoutMs: this.options.requestTimeoutMs ?? 120_000,
      });
    } catch (error) {
      const failure = classifyTransportError(error);
      this.logger.warn(
        {
          connectionId: this.options.connectionId,
          method: request.method,
          path: this.logPath(url),
          durationMs: this.now().getTime() - started,
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
    (ok ? this.logger.info : this.logger.warn).call(
      this.logger,
      {
        connectionId: this.options.connectionId,
        method: request.method,
        path: this.logPath(url),
        status: response.status,
        durationMs: this.now().getTime() - started,
        attempt,
        ...(request.operations !== undefined ? { operations: request.operations } : {}),
        ...(requestId !== undefined ? { reqId: requestId } : {}),
      },
      'dataverse request',
    );
    // Throttled requests were refused before running, so they do not draw on the entitlement.
    if (response.status !== 429) await this.meter.record(request.operations ?? 1);
    if (ok) return { response };
    const body = readErrorBody(response.body, response.headers['content-type']);
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.now().getTime());
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
    const at = this.now();
    if (error === undefined) this.lastOutcome = { ok: true, at };
    else if (isConnectionLevelError(error)) this.lastOutcome = { ok: false, at, error };
  }

  private partResult(part: BatchPartResponse, contentId?: string): BatchPartResult {
    const id = idFromEntityUrl(part.headers['odata-entityid'] ?? part.headers['location']);
    let body: unknown;
    try {
      body = part.body.trim() === '' ? undefined : JSON.parse(part.body);
    } catch {
      body = part.body;
    }
    return {
      status: part.status,
      headers: part.headers,
      body,
      ...(contentId !== undefined ? { contentId } : {}),
      ...(id !== undefined ? { id } : {}),
    };
  }

  private partError(part: BatchPartResponse, operation: string, fallbackRequestId?: string): DataverseError {
    const body = readErrorBody(part.body, part.headers['content-type']);
    const requestId = part.headers['req_id'] ?? fallbackRequestId;
    return mapDataverseFailure(
      { kind: 'response', status: part.status, ...body, ...(requestId !== undefined ? { requestId } : {}) },
      { environmentUrl: this.environmentUrl, operation, now: this.now() },
    );
  }

  /**
   * Lines the response items up with the request items. Dataverse answers a failed change set with
   * one error part (its operations rolled back) and stops after a failure unless continuing on error.
   */
  private matchBatchResponses(
    items: readonly BatchItem[],
    responses: readonly BatchResponseItem[],
    requestId: string | undefined,
  ): BatchItemOutcome[] {
    const describe = (item: BatchItem) =>
      isChangeSet(item)
        ? `change set of ${item.changeSet.length} operation(s) (in $batch)`
        : `${item.method} ${item.path.split('?')[0]} (in $batch)`;
    return items.map((item, index): BatchItemOutcome => {
      const response = responses[index];
      if (response === undefined) return { status: 'not_executed' };
      if (response.kind === 'operation') {
        if (response.response.status >= 400)
          return { status: 'failed', error: this.partError(response.response, describe(item), requestId) };
        return { status: 'succeeded', responses: [this.partResult(response.response)] };
      }
      const failure = response.parts.find((part) => part.response.status >= 400);
      if (failure !== undefined)
        return { status: 'failed', error: this.partError(failure.response, describe(item), requestId) };
      return {
        status: 'succeeded',
        responses: response.parts.map((part) => this.partResult(part.response, part.contentId)),
      };
    });
  }
}
