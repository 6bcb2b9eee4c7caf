import type { Dispatcher } from 'undici';
import type { RequestCounter } from '../../domain/index.js';
import type { BatchItem } from './batch/batch-request.js';
import { executeBatch, type BatchItemOutcome, type BatchOptions } from './batch-execution.js';
import { createMultiple, writeMultiple, type BulkWriteOptions } from './bulk-writes.js';
import type { ConcurrencyBudgetRegistry } from './concurrency-budget.js';
import { processConcurrencyBudgets, type ConcurrencyBudget } from './concurrency-budget.js';
import type { ConnectionStatusReport } from './connection-status.js';
import { silentLogger, type ConnectorLogger } from './connector-logger.js';
import { DataverseError } from './dataverse-error.js';
import {
  JSON_CONTENT_TYPE,
  parseJson,
  type DataverseRecord,
  type DataverseRequest,
} from './dataverse-request.js';
import type { AccessTokenSource } from './entra-token-provider.js';
import { normalizeEnvironmentUrl } from './environment-url.js';
import { createDispatcher } from './http-transport.js';
import {
  assertIdentifier,
  idFromEntityUrl,
  queryString,
  recordPath,
  type QueryOptions,
  type RecordKey,
} from './odata-syntax.js';
import { DataverseRequestLoop } from './request-loop.js';
import { RequestMeter, type RequestUsage } from './request-meter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-decision.js';
import {
  MetadataCache,
  parseTableMetadata,
  tableMetadataRequests,
  type ChoiceOption,
  type DataverseTableMetadata,
} from './table-metadata.js';

export type { DataverseRecord } from './dataverse-request.js';
export type { BatchItemOutcome, BatchPartResult } from './batch-execution.js';

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

/** One page of a collection, with the links Dataverse put beside its rows. */
export interface CollectionPage {
  readonly value: DataverseRecord[];
  readonly nextLink?: string;
  /** On the last page of a change-tracking read (`Prefer: odata.track-changes`). */
  readonly deltaLink?: string;
}

export interface PageOptions {
  /** `odata.maxpagesize`, at most 5000 (the default). */
  readonly pageSize?: number;
  readonly annotations?: string;
  /** `Prefer: odata.track-changes` (MSDocs use-change-tracking-synchronize-data-external-systems). */
  readonly trackChanges?: boolean;
}

const MAX_PAGE_SIZE = 5000;

function preferHeader(options: PageOptions): string {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw new DataverseError('crm_validation_failed', `pageSize must be 1 to ${MAX_PAGE_SIZE}.`, undefined);
  const prefer = [`odata.maxpagesize=${pageSize}`];
  if (options.annotations) prefer.push(`odata.include-annotations="${options.annotations}"`);
  if (options.trackChanges) prefer.push('odata.track-changes');
  return prefer.join(',');
}

/**
 * A thin client for one Dataverse environment on undici: create, update, upsert, retrieve, paged
 * retrieve-all, `$batch` with change sets, CreateMultiple/UpdateMultiple/UpsertMultiple, table
 * metadata and WhoAmI — under Microsoft's limits, which request-loop.ts enforces for every request.
 */
export class DataverseClient {
  readonly environmentUrl: string;
  readonly serviceRoot: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly budget: ConcurrencyBudget;
  private readonly meter: RequestMeter;
  private readonly now: () => Date;
  private readonly metadata: MetadataCache<DataverseTableMetadata>;
  private readonly loop: DataverseRequestLoop;

  constructor(options: DataverseClientOptions) {
    this.environmentUrl = normalizeEnvironmentUrl(options.environmentUrl, {
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.allowLoopback !== undefined ? { allowLoopback: options.allowLoopback } : {}),
    });
    const servicePath = `/api/data/v${options.apiVersion ?? '9.2'}/`;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? createDispatcher(options.caPem !== undefined ? { caPem: options.caPem } : {});
    this.budget = (options.concurrencyBudgets ?? processConcurrencyBudgets).budgetFor(
      this.environmentUrl,
      options.maxConcurrentRequests,
    );
    const logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.meter = new RequestMeter({
      connectionId: options.connectionId,
      ...(options.requestCounter ? { counter: options.requestCounter } : {}),
      ...(options.dailyRequestWarningThreshold !== undefined
        ? { warningThreshold: options.dailyRequestWarningThreshold }
        : {}),
      logger,
      now: this.now,
    });
    this.metadata = new MetadataCache(options.metadataTtlMs ?? 15 * 60_000, () => this.now().getTime());
    this.loop = new DataverseRequestLoop({
      environmentUrl: this.environmentUrl,
      servicePath,
      connectionId: options.connectionId,
      tokens: options.tokens,
      dispatcher: this.dispatcher,
      budget: this.budget,
      meter: this.meter,
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      logger,
      requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
      now: this.now,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
    });
    this.serviceRoot = this.loop.serviceRoot;
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
    const response = await this.loop.send({
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
    const response = await this.loop.send({
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
    const response = await this.loop.send({
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
    await this.loop.send({
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
    const response = await this.loop.send({
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
    const pageOptions: PageOptions = {
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.annotations !== undefined ? { annotations: options.annotations } : {}),
    };
    let path: string | undefined = `${assertIdentifier(entitySet, 'entity set')}${queryString(options)}`;
    while (path !== undefined) {
      const page = await this.retrievePage(path, pageOptions);
      yield page.value;
      path = page.nextLink;
    }
  }

  /**
   * One page of a collection: `path` relative to the service root, or a nextLink/deltaLink of this
   * environment, sent unchanged with the same `odata.maxpagesize` every time (§2).
   */
  async retrievePage(path: string, options: PageOptions = {}): Promise<CollectionPage> {
    const headers = { Prefer: preferHeader(options) };
    const response = await this.loop.send({ method: 'GET', path, headers });
    const page = parseJson(response.body, `GET ${path.split('?')[0] ?? path}`) as
      { value?: DataverseRecord[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string } | undefined;
    const nextLink = page?.['@odata.nextLink'];
    const deltaLink = page?.['@odata.deltaLink'];
    return {
      value: Array.isArray(page?.value) ? page.value : [],
      ...(typeof nextLink === 'string' ? { nextLink } : {}),
      ...(typeof deltaLink === 'string' ? { deltaLink } : {}),
    };
  }

  /**
   * A link Dataverse handed out (nextLink, deltaLink) as a path relative to the service root, as a
   * `$batch` part needs it; a link to another host or API version is refused.
   */
  servicePathOf(link: string): string {
    const url = this.loop.urlOf(link);
    if (!url.startsWith(this.serviceRoot))
      throw new DataverseError(
        'crm_unavailable',
        `Dynamics 365 handed out a link outside ${this.serviceRoot}.`,
        undefined,
      );
    return url.slice(this.serviceRoot.length);
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
  createMultiple(
    entitySet: string,
    logicalName: string,
    records: readonly DataverseRecord[],
    options: BulkWriteOptions = {},
  ): Promise<string[]> {
    return createMultiple(this.loop, entitySet, logicalName, records, options);
  }

  /** `UpdateMultiple`: every row must carry its primary key. */
  updateMultiple(
    entitySet: string,
    logicalName: string,
    records: readonly DataverseRecord[],
    options: BulkWriteOptions = {},
  ): Promise<void> {
    return writeMultiple(this.loop, 'UpdateMultiple', entitySet, logicalName, records, options);
  }

  /** `UpsertMultiple`: rows with a primary key (or alternate key) are created or updated — idempotent. */
  upsertMultiple(
    entitySet: string,
    logicalName: string,
    records: readonly DataverseRecord[],
    options: BulkWriteOptions = {},
  ): Promise<void> {
    return writeMultiple(this.loop, 'UpsertMultiple', entitySet, logicalName, records, options);
  }

  /**
   * `$batch`: operations run in order; each change set is all-or-nothing. Without `continueOnError`
   * Dataverse stops at the first failure, so later items are `not_executed` (see batch-execution.ts).
   */
  executeBatch(items: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchItemOutcome[]> {
    return executeBatch(this.loop, items, options);
  }

  /** `POST <action>` of an unbound action with a JSON body; its answer's JSON body, if any. */
  async callAction(action: string, parameters: Readonly<Record<string, unknown>>): Promise<unknown> {
    const response = await this.loop.send({
      method: 'POST',
      path: assertIdentifier(action, 'action'),
      headers: { 'Content-Type': JSON_CONTENT_TYPE },
      body: JSON.stringify(parameters),
    });
    return parseJson(response.body, action);
  }

  // ---- metadata --------------------------------------------------------------------------------

  /** Columns, required levels, maximum lengths and choice options of a table; cached for `metadataTtlMs`. */
  tableMetadata(logicalName: string): Promise<DataverseTableMetadata> {
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
    return this.loop.connectionStatus();
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

  // ---- helpers ------------------------------------------------------------------------

  private writeHeaders(options: WriteOptions): Record<string, string> {
    return {
      'Content-Type': JSON_CONTENT_TYPE,
      ...(options.returnRepresentation ? { Prefer: 'return=representation' } : {}),
    };
  }

  private async json(request: DataverseRequest, what: string): Promise<unknown> {
    return parseJson((await this.loop.send(request)).body, what);
  }
}
