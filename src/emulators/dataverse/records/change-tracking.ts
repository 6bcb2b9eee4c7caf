import { dataverseErrors } from '../errors.js';
import type { OperationContext } from '../environment.js';
import type { TableModel } from '../metadata/table-catalog.js';
import { linkWithOption } from '../protocol/odata-link.js';
import type { QueryOptions } from '../protocol/query-options.js';
import { decodePagingCookie } from './paging-cookie.js';
import {
  annotationChoice,
  collectionContext,
  queryCollection,
  sourceRows,
  type CollectionPage,
} from './record-query.js';
import { selectProperties, serializeRecord } from './record-serializer.js';

/**
 * Change tracking as MSDocs use-change-tracking-synchronize-data-external-systems.md describes it:
 * the first read returns every row and a delta link; the delta link returns rows changed since, then
 * `$deletedEntity` tombstones, and a fresh delta link.
 */
export function queryChanges(
  ctx: OperationContext,
  table: TableModel,
  options: QueryOptions,
  requestUrl: URL,
): CollectionPage {
  if (!ctx.env.settings.changeTracking.has(table.logicalName))
    throw dataverseErrors.invalidQuery(
      `The entity '${table.logicalName}' is not enabled for change tracking.`,
    );
  for (const [option, present] of [
    ['$filter', options.filter !== undefined],
    ['$orderby', options.orderby.length > 0],
    ['$expand', options.expand.length > 0],
    ['$top', options.top !== undefined],
  ] as const)
    if (present) throw dataverseErrors.changeTrackingOption(option);

  if (options.deltatoken !== undefined)
    return deltaPage(ctx, table, options, requestUrl, parseDeltaToken(options.deltatoken));

  const trackingVersion = options.skiptoken
    ? decodePagingCookie(options.skiptoken).trackingVersion
    : undefined;
  const since = trackingVersion ?? ctx.env.store.currentVersion;
  const page = queryCollection(ctx, table, options, requestUrl, since);
  if (page.body['@odata.nextLink'] === undefined)
    page.body['@odata.deltaLink'] = deltaLink(ctx, requestUrl, since);
  return { body: page.body, preferenceApplied: [...page.preferenceApplied, 'odata.track-changes'] };
}

function deltaPage(
  ctx: OperationContext,
  table: TableModel,
  options: QueryOptions,
  requestUrl: URL,
  since: number,
): CollectionPage {
  const now = ctx.env.store.currentVersion;
  const properties = selectProperties(table, options.select);
  const annotations = annotationChoice(ctx);
  const changed = sourceRows(ctx.env, table)
    .filter((row) => Number(row['versionnumber'] ?? 0) > since)
    .sort((a, b) => Number(a['versionnumber']) - Number(b['versionnumber']))
    .map((row) => serializeRecord(ctx.env, table, row, properties, annotations));
  const live = new Set(sourceRows(ctx.env, table).map((row) => row[table.primaryIdAttribute]));
  const deleted = ctx.env.store
    .deletedSince(table.logicalName, since)
    .filter((t) => !live.has(t.id))
    .map((t) => ({
      '@odata.context': `${ctx.serviceRoot}$metadata#${table.entitySetName}/$deletedEntity`,
      id: t.id,
      reason: 'deleted',
    }));
  const context = collectionContext(ctx, table, options.select);
  return {
    body: {
      '@odata.context': `${context}/$delta`,
      value: [...changed, ...deleted],
      '@odata.deltaLink': deltaLink(ctx, requestUrl, now),
    },
    preferenceApplied: ['odata.track-changes'],
  };
}

/** `919042!08/22/2017 08:10:44`: the row version, then the time in MM/dd/yyyy HH:mm:ss (UTC). */
function deltaLink(ctx: OperationContext, requestUrl: URL, version: number): string {
  const d = ctx.now;
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return linkWithOption(requestUrl, '$deltatoken', `${version}!${stamp}`, ['$skiptoken']);
}

function parseDeltaToken(token: string): number {
  const match = /^(\d+)!/.exec(token);
  if (!match) throw dataverseErrors.invalidQuery(`The delta token '${token}' is not valid or has expired.`);
  return Number(match[1]);
}
