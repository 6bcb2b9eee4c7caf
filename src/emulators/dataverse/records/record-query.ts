import { dataverseErrors } from '../errors.js';
import type { DataverseEnvironment, OperationContext } from '../environment.js';
import type { CollectionNavigation, SingleNavigation, TableModel } from '../metadata/table-catalog.js';
import { isLookupValue, type StoredRecord } from '../persistence/record-store.js';
import { linkWithOption } from '../protocol/odata-link.js';
import { MAX_PAGE_SIZE, wantsAnnotation } from '../protocol/prefer-header.js';
import type { ExpandOption, OrderBy, QueryOptions } from '../protocol/query-options.js';
import { decodePagingCookie, encodePagingCookie, type PagingCookie } from './paging-cookie.js';
import {
  readableProperties,
  selectProperties,
  serializeRecord,
  type AnnotationChoice,
} from './record-serializer.js';
import { compileTableFilter } from './table-filter.js';

/** Rows a query reads: a table, or for activitypointer every activity table (it is their shared view). */
export function sourceRows(env: DataverseEnvironment, table: TableModel): StoredRecord[] {
  if (!table.isActivityView) return [...env.store.rows(table.logicalName)];
  return env.catalog.tables
    .filter((t) => t.definition.isActivity && !t.isActivityView)
    .flatMap((t) => [...env.store.rows(t.logicalName)]);
}

export function annotationChoice(ctx: OperationContext): AnnotationChoice {
  return {
    formatted: wantsAnnotation(ctx.preferences, 'OData.Community.Display.V1.FormattedValue'),
    lookups: wantsAnnotation(ctx.preferences, 'Microsoft.Dynamics.CRM.lookuplogicalname'),
  };
}

type Getter = (row: StoredRecord) => unknown;

function propertyGetter(table: TableModel, name: string): Getter {
  const property = readableProperties(table).get(name);
  if (!property) throw dataverseErrors.unknownQueryProperty(table.logicalName, name);
  const column = property.attribute.logicalName;
  return property.isLookup
    ? (row) => {
        const v = row[column];
        return isLookupValue(v) ? v.id : null;
      }
    : (row) => row[column];
}

/**
 * Sorts by `$orderby`, then by primary key so pages never overlap or skip rows. Sort keys are computed
 * once per row (strings lower-cased up front): sorting 100,000 rows must not allocate per comparison.
 */
function sortRows(table: TableModel, rows: StoredRecord[], orderby: readonly OrderBy[]): StoredRecord[] {
  const getters = orderby.map((o) => ({
    get: propertyGetter(table, o.property),
    sign: o.descending ? -1 : 1,
  }));
  const pk = table.primaryIdAttribute;
  const keyed = rows.map((row) => ({
    row,
    keys: getters.map((g) => sortKey(g.get(row))),
    id: String(row[pk]),
  }));
  keyed.sort((x, y) => {
    for (let i = 0; i < getters.length; i++) {
      const c = compareKeys(x.keys[i], y.keys[i]);
      if (c !== 0) return c * (getters[i]?.sign ?? 1);
    }
    return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
  });
  return keyed.map((k) => k.row);
}

type SortKey = string | number | null;

function sortKey(value: unknown): SortKey {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'boolean') return Number(value);
  return typeof value === 'number' ? value : String(value);
}

/** SQL Server order: empty values sort first ascending; strings compare case-insensitively. */
function compareKeys(a: SortKey | undefined, b: SortKey | undefined): number {
  const aEmpty = a === null || a === undefined;
  const bEmpty = b === null || b === undefined;
  if (aEmpty || bEmpty) return aEmpty === bEmpty ? 0 : aEmpty ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const NUMERIC_TYPES: ReadonlySet<string> = new Set([
  'Integer',
  'BigInt',
  'Money',
  'Decimal',
  'Double',
  'Picklist',
  'State',
  'Status',
]);

/** The `$orderby` values of a row as the paging cookie carries them: text, null for an empty column. */
function cookieSortValues(table: TableModel, orderby: readonly OrderBy[], row: StoredRecord) {
  return orderby.map((o) => {
    const value = propertyGetter(table, o.property)(row);
    return { name: o.property, last: value === null || value === undefined ? null : String(value) };
  });
}

function cookieSortKey(table: TableModel, property: string, text: string | null): SortKey {
  const type = readableProperties(table).get(property)?.attribute.type ?? 'String';
  if (text === null) return null;
  if (NUMERIC_TYPES.has(type)) return Number(text);
  return sortKey(type === 'Boolean' ? text === 'true' : text);
}

/**
 * Where the page after a cookie starts. With the `$orderby` values of the previous page's last row
 * (as FetchXML cookies carry them) it is the first row sorting after that row, by value, so nothing is
 * repeated or skipped even when that row was changed or deleted meanwhile; `rows` is sorted.
 */
function pageStart(
  table: TableModel,
  rows: readonly StoredRecord[],
  orderby: readonly OrderBy[],
  cookie: PagingCookie,
  pageSize: number,
): number {
  const lastId = cookie.lastId;
  if (lastId === undefined) return (cookie.page - 1) * pageSize;
  const values = cookie.sortValues ?? [];
  if (values.length !== orderby.length || values.some((v, i) => v.name !== orderby[i]?.property)) {
    const index = rows.findIndex((r) => r[table.primaryIdAttribute] === lastId);
    return index >= 0 ? index + 1 : (cookie.page - 1) * pageSize;
  }
  const getters = orderby.map((o) => propertyGetter(table, o.property));
  const cursor = values.map((v) => cookieSortKey(table, v.name, v.last));
  const afterCursor = (row: StoredRecord): boolean => {
    for (let i = 0; i < getters.length; i++) {
      const c = compareKeys(sortKey(getters[i]?.(row)), cursor[i]) * (orderby[i]?.descending ? -1 : 1);
      if (c !== 0) return c > 0;
    }
    return String(row[table.primaryIdAttribute]) > lastId;
  };
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const row = rows[mid];
    if (row && afterCursor(row)) high = mid;
    else low = mid + 1;
  }
  return low;
}

interface CachedResult {
  readonly version: number;
  readonly rows: StoredRecord[];
}

interface QueryCaches {
  /** Matching rows per query, reused while the store is unchanged, so paging 1,000,000 rows stays linear. */
  readonly results: Map<string, CachedResult>;
  /** Children grouped by parent id, built once per store version rather than once per parent row. */
  readonly related: Map<string, { version: number; byParent: Map<string, StoredRecord[]> }>;
}

const cachesByEnvironment = new WeakMap<DataverseEnvironment, QueryCaches>();
const RESULT_CACHE_SIZE = 8;

function cachesOf(env: DataverseEnvironment): QueryCaches {
  let caches = cachesByEnvironment.get(env);
  if (!caches) {
    caches = { results: new Map(), related: new Map() };
    cachesByEnvironment.set(env, caches);
  }
  return caches;
}

/** Query functions whose result does not depend on when or by whom the query runs. */
const CONTEXT_FREE_FUNCTIONS: ReadonlySet<string> = new Set([
  'In',
  'NotIn',
  'Between',
  'NotBetween',
  'ContainValues',
  'DoesNotContainValues',
  'On',
  'OnOrAfter',
  'OnOrBefore',
]);

/**
 * LastXDays, Today, EqualUserId and the like read the clock or the caller, so their cached result is
 * only valid for the same instant and caller; every other filter is cached for the store version alone.
 */
function contextOf(ctx: OperationContext, filter: string | undefined): unknown[] {
  for (const match of filter?.matchAll(/Microsoft\.Dynamics\.CRM\.(\w+)/g) ?? [])
    if (!CONTEXT_FREE_FUNCTIONS.has(match[1] ?? ''))
      return [ctx.now.getTime(), ctx.caller.systemUserId, ctx.caller.businessUnitId];
  return [];
}

function matchingRows(ctx: OperationContext, table: TableModel, options: QueryOptions): StoredRecord[] {
  const signature = JSON.stringify([
    table.logicalName,
    options.filter,
    options.orderby,
    [...options.aliases],
    contextOf(ctx, options.filter),
  ]);
  const version = ctx.env.store.currentVersion;
  const resultCache = cachesOf(ctx.env).results;
  const cached = resultCache.get(signature);
  if (cached && cached.version === version) return cached.rows;
  let rows = sourceRows(ctx.env, table);
  if (options.filter !== undefined) {
    const predicate = compileTableFilter(ctx, table, options.filter, options.aliases);
    rows = rows.filter(predicate);
  }
  const sorted = sortRows(table, rows, options.orderby);
  resultCache.set(signature, { version, rows: sorted });
  if (resultCache.size > RESULT_CACHE_SIZE) resultCache.delete(resultCache.keys().next().value as string);
  return sorted;
}

export interface CollectionPage {
  readonly body: Record<string, unknown>;
  readonly preferenceApplied: string[];
}

/** GET on an entity set: filter, sort, count, page, select and expand. */
export function queryCollection(
  ctx: OperationContext,
  table: TableModel,
  options: QueryOptions,
  requestUrl: URL,
  trackingVersion?: number,
): CollectionPage {
  const rows = matchingRows(ctx, table, options);
  const properties = selectProperties(table, options.select);
  const pageSize = ctx.preferences.maxPageSize ?? MAX_PAGE_SIZE;
  const applied = ctx.preferences.maxPageSize !== undefined ? [`odata.maxpagesize=${pageSize}`] : [];
  const cookie = options.skiptoken === undefined ? undefined : decodePagingCookie(options.skiptoken);
  const start = cookie ? pageStart(table, rows, options.orderby, cookie, pageSize) : 0;
  // $top is ignored when a page size is requested (MSDocs query/page-results.md).
  const limit =
    options.top !== undefined && ctx.preferences.maxPageSize === undefined
      ? Math.min(options.top, MAX_PAGE_SIZE)
      : pageSize;
  const page = rows.slice(start, start + limit);
  const annotations = annotationChoice(ctx);
  const value = page.map((row) => {
    const out = serializeRecord(ctx.env, table, row, properties, annotations);
    expandInto(ctx, table, row, options.expand, out, annotations);
    return out;
  });
  const body: Record<string, unknown> = { '@odata.context': collectionContext(ctx, table, options.select) };
  if (options.count) body['@odata.count'] = Math.min(rows.length, MAX_PAGE_SIZE);
  if (wantsAnnotation(ctx.preferences, 'Microsoft.Dynamics.CRM.totalrecordcount')) {
    body['@Microsoft.Dynamics.CRM.totalrecordcount'] = options.count
      ? Math.min(rows.length, MAX_PAGE_SIZE)
      : -1;
    body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = rows.length > MAX_PAGE_SIZE;
    body['@Microsoft.Dynamics.CRM.globalmetadataversion'] = '1000';
  }
  body['value'] = value;
  const hasMore =
    options.top === undefined || ctx.preferences.maxPageSize !== undefined
      ? start + limit < rows.length
      : false;
  const last = page[page.length - 1];
  if (hasMore && last) {
    body['@odata.nextLink'] = linkWithOption(
      requestUrl,
      '$skiptoken',
      encodePagingCookie({
        page: (cookie?.page ?? 1) + 1,
        lastId: String(last[table.primaryIdAttribute]),
        firstId: String(page[0]?.[table.primaryIdAttribute]),
        primaryId: table.primaryIdAttribute,
        sortValues: cookieSortValues(table, options.orderby, last),
        ...(trackingVersion !== undefined ? { trackingVersion } : {}),
      }),
    );
  }
  return { body, preferenceApplied: applied };
}

export function collectionContext(
  ctx: OperationContext,
  table: TableModel,
  select: readonly string[] | undefined,
): string {
  return `${ctx.serviceRoot}$metadata#${table.entitySetName}${select ? `(${select.join(',')})` : ''}`;
}

/** Adds `$expand`ed navigation properties to a serialised row. */
export function expandInto(
  ctx: OperationContext,
  table: TableModel,
  row: StoredRecord,
  expand: readonly ExpandOption[],
  out: Record<string, unknown>,
  annotations: AnnotationChoice,
): void {
  for (const option of expand) {
    const single = table.singleNavigations.get(option.navigation);
    if (single) {
      out[option.navigation] = expandSingle(ctx, single, row, option, annotations);
      continue;
    }
    const collection = table.collectionNavigations.get(option.navigation);
    if (collection) {
      out[option.navigation] = expandCollection(ctx, table, collection, row, option, annotations);
      continue;
    }
    throw dataverseErrors.unknownQueryProperty(table.logicalName, option.navigation);
  }
}

function expandSingle(
  ctx: OperationContext,
  nav: SingleNavigation,
  row: StoredRecord,
  option: ExpandOption,
  annotations: AnnotationChoice,
): Record<string, unknown> | null {
  const value = row[nav.attribute.logicalName];
  if (!isLookupValue(value) || !nav.targets.includes(value.entity)) return null;
  const target = ctx.env.catalog.require(value.entity);
  const related = ctx.tx.get(value.entity, value.id);
  if (!related) return null;
  if (option.filter !== undefined || option.orderby.length > 0 || option.top !== undefined)
    throw dataverseErrors.invalidQuery(
      `Only $select and $expand are supported inside $expand of the single-valued '${nav.name}'.`,
    );
  const out = serializeRecord(ctx.env, target, related, selectProperties(target, option.select), annotations);
  expandInto(ctx, target, related, option.expand, out, annotations);
  return out;
}

function expandCollection(
  ctx: OperationContext,
  table: TableModel,
  nav: CollectionNavigation,
  row: StoredRecord,
  option: ExpandOption,
  annotations: AnnotationChoice,
): Record<string, unknown>[] {
  const child = ctx.env.catalog.require(nav.referencingTable);
  const id = row[table.primaryIdAttribute];
  let children = relatedRows(ctx, nav).get(String(id)) ?? [];
  if (option.filter !== undefined)
    children = children.filter(compileTableFilter(ctx, child, option.filter, new Map()));
  children = sortRows(child, [...children], option.orderby);
  if (option.top !== undefined) children = children.slice(0, option.top);
  const properties = selectProperties(child, option.select);
  return children.map((c) => {
    const out = serializeRecord(ctx.env, child, c, properties, annotations);
    expandInto(ctx, child, c, option.expand, out, annotations);
    return out;
  });
}

export function relatedRows(ctx: OperationContext, nav: CollectionNavigation): Map<string, StoredRecord[]> {
  const version = ctx.env.store.currentVersion;
  const relatedIndex = cachesOf(ctx.env).related;
  const key = `${nav.referencingTable}.${nav.referencingAttribute}`;
  const cached = relatedIndex.get(key);
  if (cached && cached.version === version) return cached.byParent;
  const byParent = new Map<string, StoredRecord[]>();
  const child = ctx.env.catalog.require(nav.referencingTable);
  for (const c of sourceRows(ctx.env, child)) {
    const ref = c[nav.referencingAttribute];
    if (!isLookupValue(ref)) continue;
    const list = byParent.get(ref.id);
    if (list) list.push(c);
    else byParent.set(ref.id, [c]);
  }
  relatedIndex.set(key, { version, byParent });
  return byParent;
}
