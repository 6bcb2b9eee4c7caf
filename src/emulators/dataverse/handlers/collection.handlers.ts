import type { OperationContext } from '../environment.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { parseQueryOptions, type QueryOptions } from '../protocol/query-options.js';
import { jsonResponse, textResponse } from '../protocol/responses.js';
import { queryChanges } from '../records/change-tracking.js';
import { queryCollection } from '../records/record-query.js';
import type { RecordRoute } from './handler-context.js';

/** GET /{entityset}: a query, or a change-tracking read when `Prefer: odata.track-changes` or a delta token is present. */
export function queryRecordsHandler(
  ctx: OperationContext,
  route: RecordRoute,
  request: EmulatorRequest,
): EmulatorResponse {
  const options = parseQueryOptions(request.url.searchParams);
  if (ctx.preferences.trackChanges || options.deltatoken !== undefined || isTrackingPage(options)) {
    const page = queryChanges(ctx, route.table, options, request.url);
    return jsonResponse(200, page.body, { 'preference-applied': page.preferenceApplied.join(',') });
  }
  const page = queryCollection(ctx, route.table, options, request.url);
  const headers: Record<string, string> = {};
  if (page.preferenceApplied.length > 0) headers['preference-applied'] = page.preferenceApplied.join(',');
  return jsonResponse(200, page.body, headers);
}

const isTrackingPage = (options: QueryOptions) => options.skiptoken?.includes('istracking="True"') === true;

/** GET /{entityset}/$count → plain-text number, capped at 5,000 like `$count` (MSDocs query/count-rows.md). */
export function countRecordsHandler(
  ctx: OperationContext,
  route: RecordRoute,
  request: EmulatorRequest,
): EmulatorResponse {
  const options = parseQueryOptions(request.url.searchParams);
  if (options.deltatoken !== undefined) {
    const page = queryChanges(ctx, route.table, options, request.url);
    return textResponse(200, String((page.body['value'] as unknown[]).length), 'text/plain');
  }
  const page = queryCollection(
    ctx,
    route.table,
    { ...options, select: [route.table.primaryIdAttribute], count: true },
    request.url,
  );
  return textResponse(200, String(page.body['@odata.count']), 'text/plain');
}
