import { dataverseErrors } from '../errors.js';
import type { OperationContext } from '../environment.js';
import type { TableModel } from '../metadata/table-catalog.js';
import type { StoredRecord } from '../persistence/record-store.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { parseQueryOptions } from '../protocol/query-options.js';
import { emptyResponse, jsonResponse } from '../protocol/responses.js';
import type { RecordKey } from '../protocol/resource-path.js';
import { isJsonObject } from '../records/record-payload.js';
import { requireRecord, resolveKey } from '../records/record-locator.js';
import { annotationChoice, expandInto } from '../records/record-query.js';
import { etagOf, selectProperties, serializeRecord } from '../records/record-serializer.js';
import { createRecord, deleteRecord, updateRecord } from '../records/record-writer.js';
import { entityContext, entityUrl, parseJsonBody, type RecordRoute } from './handler-context.js';

/** The row as `return=representation` and GET return it, honouring `$select` and `$expand`. */
export function representRecord(
  ctx: OperationContext,
  table: TableModel,
  record: StoredRecord,
  url: URL,
  expandAllowed: boolean,
): Record<string, unknown> {
  const options = parseQueryOptions(url.searchParams);
  const annotations = annotationChoice(ctx);
  const body: Record<string, unknown> = {
    '@odata.context': entityContext(ctx, table, options.select),
    ...serializeRecord(ctx.env, table, record, selectProperties(table, options.select), annotations),
  };
  if (expandAllowed) expandInto(ctx, table, record, options.expand, body, annotations);
  return body;
}

/** POST /{entityset} (MSDocs webapi/create-entity-web-api.md). */
export function createRecordHandler(
  ctx: OperationContext,
  route: RecordRoute,
  request: EmulatorRequest,
): EmulatorResponse {
  const created = createRecord(ctx, route.table, parseJsonBody(request, route.table.entitySetName));
  const url = entityUrl(ctx, route.table, created.id);
  if (!ctx.preferences.returnRepresentation)
    return emptyResponse(204, { 'odata-entityid': url, location: url });
  const record = ctx.tx.get(route.table.logicalName, created.id) ?? {};
  return jsonResponse(201, representRecord(ctx, route.table, record, request.url, true), {
    'preference-applied': 'return=representation',
    'odata-entityid': url,
    location: url,
    etag: etagOf(record),
  });
}

/** GET /{entityset}({key}) with conditional `If-None-Match` (MSDocs perform-conditional-operations). */
export function retrieveRecordHandler(
  ctx: OperationContext,
  route: RecordRoute,
  request: EmulatorRequest,
): EmulatorResponse {
  if (!route.key) throw dataverseErrors.invalidQuery('A key is required.');
  const { record } = requireRecord(ctx, route.table, route.key);
  const etag = etagOf(record);
  const ifNoneMatch = request.headers['if-none-match'];
  // Never 304 with $expand or annotations: the expanded or formatted data may have changed.
  const conditional =
    ifNoneMatch !== undefined &&
    ifNoneMatch !== 'null' &&
    !request.url.searchParams.has('$expand') &&
    ctx.preferences.includeAnnotations === undefined;
  if (conditional && (ifNoneMatch === etag || ifNoneMatch === '*')) return emptyResponse(304, { etag });
  return jsonResponse(200, representRecord(ctx, route.table, record, request.url, true), { etag });
}

/** PATCH: update with `If-Match`, create-only with `If-None-Match: *`, otherwise upsert (use-upsert-insert-update-record.md). */
export function patchRecordHandler(
  ctx: OperationContext,
  route: RecordRoute,
  request: EmulatorRequest,
): EmulatorResponse {
  if (!route.key) throw dataverseErrors.methodNotAllowed('PATCH', route.table.entitySetName);
  const body = parseJsonBody(request, route.table.entitySetName);
  const ifMatch = request.headers['if-match'];
  const ifNoneMatch = request.headers['if-none-match'];
  const id = resolveKey(ctx.env, ctx.tx, route.table, route.key);
  const existing = id === undefined ? undefined : ctx.tx.get(route.table.logicalName, id);
  const keyUrl = `${ctx.serviceRoot}${request.url.pathname.split('/').slice(4).join('/')}`;
  let createdId: string | undefined;
  if (existing && id !== undefined) {
    if (ifNoneMatch === '*') throw dataverseErrors.duplicateKey();
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(existing))
      throw dataverseErrors.concurrencyMismatch();
    updateRecord(ctx, route.table, id, existing, upsertUpdateBody(route.key, ifMatch, body));
  } else {
    if (ifMatch !== undefined) {
      if (route.key.kind === 'id')
        throw dataverseErrors.recordNotFound(route.table.logicalName, route.key.id);
      throw dataverseErrors.recordNotFoundByKey(route.table.logicalName);
    }
    const keyValues =
      route.key.kind === 'alternate'
        ? Object.fromEntries(route.key.values)
        : { [route.table.primaryIdAttribute]: route.key.id };
    // Body values win over URL key values when the row is created (MSDocs use-upsert-insert-update-record).
    const merged = { ...keyValues, ...(body as Record<string, unknown>) };
    createdId = createRecord(ctx, route.table, merged, route.key.kind === 'id' ? route.key.id : undefined).id;
  }
  const finalId = createdId ?? id ?? '';
  const url = route.key.kind === 'id' ? entityUrl(ctx, route.table, finalId) : decodeURIComponent(keyUrl);
  if (!ctx.preferences.returnRepresentation) return emptyResponse(204, { 'odata-entityid': url });
  const record = ctx.tx.get(route.table.logicalName, finalId) ?? {};
  return jsonResponse(createdId ? 201 : 200, representRecord(ctx, route.table, record, request.url, false), {
    'preference-applied': 'return=representation',
    'odata-entityid': url,
    etag: etagOf(record),
  });
}

/**
 * An upsert that finds the row drops the URL's key columns from the body: the keys in the URL can't be
 * changed through upsert (MSDocs use-upsert-insert-update-record). With `If-Match` it is a plain update.
 */
function upsertUpdateBody(key: RecordKey, ifMatch: string | undefined, body: unknown): unknown {
  if (key.kind !== 'alternate' || ifMatch !== undefined || !isJsonObject(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([name]) => !key.values.has(name)));
}

/** DELETE /{entityset}({key}), optionally guarded by `If-Match`. */
export function deleteRecordHandler(
  ctx: OperationContext,
  route: RecordRoute,
  request: EmulatorRequest,
): EmulatorResponse {
  if (!route.key) throw dataverseErrors.methodNotAllowed('DELETE', route.table.entitySetName);
  const { id, record } = requireRecord(ctx, route.table, route.key);
  const ifMatch = request.headers['if-match'];
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(record))
    throw dataverseErrors.concurrencyMismatch();
  deleteRecord(ctx, route.table, id);
  return emptyResponse(204);
}
