import { createHash } from 'node:crypto';
import type { CrmChangedRecords, CrmRecord, CrmTable } from '../../domain/index.js';
import { crmTableNames, type CrmTableNames } from './crm-table-names.js';
import type { DataverseClient } from './dataverse-client.js';
import { DataverseError } from './dataverse-error.js';
import type { DataverseRecord } from './dataverse-request.js';
import { queryString } from './odata-syntax.js';
import { toCrmRecord } from './record-mapping.js';
import { lookupRows, type LookupOptions } from './record-lookup.js';

/**
 * What changed in a table since a cursor (protocols/dataverse.md §6). Two kinds of cursor:
 *
 * - `delta:<deltaLink>` where the table has ChangeTrackingEnabled: the delta link names the changed
 *   ids and the deleted ones; the changed rows are then read with the wanted columns in one `$batch`
 *   (an `In` on the primary key), so the link stays valid whatever columns a caller asks for later.
 *   Starting costs one GET per 5,000 rows of the table: the initial read (ids only) must be paged
 *   through to reach the delta link. Each later call costs one GET (plus pages) and, when anything
 *   changed, one `$batch`.
 * - `modifiedon:<instant>;<seen>` elsewhere: rows with `modifiedon ge <instant>`, oldest first.
 *   `modifiedon` has whole seconds, so `gt` would lose a row written later in the same second as the
 *   last one seen; `ge` re-reads that second and `<seen>` (short digests of id and row version of the
 *   rows already returned from it) drops what was returned before. Deletions are not visible this way.
 *   Starting costs one GET (the newest `modifiedon`).
 */

export interface ChangeReadOptions {
  readonly pageSize?: number;
  readonly lookup?: LookupOptions;
}

const DELTA = 'delta:';
const WATERMARK = 'modifiedon:';
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
/** Before any row: where a table with no rows yet starts. */
const BEGINNING = '1900-01-01T00:00:00Z';

function invalidCursor(cursor: string): DataverseError {
  return new DataverseError(
    'crm_validation_failed',
    `The change cursor '${cursor.slice(0, 40)}' is not one Leadbridge issued; start again without one.`,
    undefined,
  );
}

const digest = (row: DataverseRecord, names: CrmTableNames): string =>
  createHash('sha256')
    .update(
      `${String(row[names.primaryIdAttribute]).toLowerCase()}@${String(row['@odata.etag'] ?? row['versionnumber'] ?? '')}`,
    )
    .digest('base64url')
    .slice(0, 10);

export async function changedRecords(
  client: DataverseClient,
  table: CrmTable,
  select: readonly string[],
  cursor: string | undefined,
  options: ChangeReadOptions = {},
): Promise<CrmChangedRecords> {
  const names = crmTableNames(table);
  if (cursor === undefined) {
    const metadata = await client.tableMetadata(table);
    return metadata.changeTrackingEnabled === true
      ? startDelta(client, names, options)
      : startWatermark(client, names);
  }
  if (cursor.startsWith(DELTA)) return readDelta(client, names, select, cursor.slice(DELTA.length), options);
  if (cursor.startsWith(WATERMARK)) return readSinceWatermark(client, names, select, cursor, options);
  throw invalidCursor(cursor);
}

async function startDelta(
  client: DataverseClient,
  names: CrmTableNames,
  options: ChangeReadOptions,
): Promise<CrmChangedRecords> {
  let path: string | undefined =
    `${names.entitySetName}${queryString({ select: [names.primaryIdAttribute] })}`;
  const pageOptions = {
    trackChanges: true,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
  };
  while (path !== undefined) {
    const page = await client.retrievePage(path, pageOptions);
    if (page.deltaLink !== undefined)
      return { records: [], deletedIds: [], cursor: `${DELTA}${page.deltaLink}` };
    path = page.nextLink;
  }
  throw new DataverseError(
    'crm_unavailable',
    `Dynamics 365 gave no delta link for ${names.entitySetName}.`,
    undefined,
  );
}

async function readDelta(
  client: DataverseClient,
  names: CrmTableNames,
  select: readonly string[],
  deltaLink: string,
  options: ChangeReadOptions,
): Promise<CrmChangedRecords> {
  const changed: string[] = [];
  const deletedIds: string[] = [];
  const pageOptions = {
    trackChanges: true,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
  };
  let path: string | undefined = client.servicePathOf(deltaLink);
  let nextCursor: string | undefined;
  while (path !== undefined) {
    const page = await client.retrievePage(path, pageOptions);
    for (const row of page.value) {
      const deleted = isDeletedEntity(row);
      const id = deleted ? row['id'] : row[names.primaryIdAttribute];
      if (typeof id === 'string') (deleted ? deletedIds : changed).push(id.toLowerCase());
    }
    if (page.deltaLink !== undefined) nextCursor = `${DELTA}${page.deltaLink}`;
    path = page.nextLink;
  }
  if (nextCursor === undefined)
    throw new DataverseError(
      'crm_unavailable',
      `Dynamics 365 gave no new delta link for ${names.entitySetName}.`,
      undefined,
    );
  const records = changed.length === 0 ? [] : await readRows(client, names, select, changed, options);
  return { records, deletedIds: [...new Set(deletedIds)], cursor: nextCursor };
}

/** `$deletedEntity` tombstones (Dataverse), or OData 4.0's `@removed` / 4.01's `@odata.removed`. */
function isDeletedEntity(row: DataverseRecord): boolean {
  const context = row['@odata.context'];
  return (
    (typeof context === 'string' && context.endsWith('$deletedEntity')) ||
    '@removed' in row ||
    '@odata.removed' in row
  );
}

/** The changed rows with the wanted columns, in the order the delta named them; rows deleted since are skipped. */
async function readRows(
  client: DataverseClient,
  names: CrmTableNames,
  select: readonly string[],
  ids: readonly string[],
  options: ChangeReadOptions,
): Promise<CrmRecord[]> {
  const [rows = []] = await lookupRows(
    client,
    [
      {
        entitySet: names.entitySetName,
        column: names.primaryIdAttribute,
        values: ids,
        select: columnsFor(names, select),
      },
    ],
    options.lookup,
  );
  const byId = new Map(rows.map((row) => [String(row[names.primaryIdAttribute]).toLowerCase(), row]));
  return [...new Set(ids)].flatMap((id) => {
    const row = byId.get(id);
    return row === undefined ? [] : [toCrmRecord(names, row)];
  });
}

function columnsFor(names: CrmTableNames, select: readonly string[]): string[] {
  return [...new Set([names.primaryIdAttribute, 'createdon', 'modifiedon', ...select])];
}

/** Starts at the newest `modifiedon`, with the rows of that second counted as seen. */
async function startWatermark(client: DataverseClient, names: CrmTableNames): Promise<CrmChangedRecords> {
  let path: string | undefined = `${names.entitySetName}${queryString({
    select: [names.primaryIdAttribute, 'modifiedon'],
    orderBy: ['modifiedon desc'],
  })}`;
  let newest: string | undefined;
  const seen: string[] = [];
  while (path !== undefined) {
    // `$top` is ignored beside odata.maxpagesize (MSDocs query/page-results): the page size bounds the read.
    const page = await client.retrievePage(path, { pageSize: 50 });
    for (const row of page.value) {
      const modifiedOn = row['modifiedon'];
      if (typeof modifiedOn !== 'string' || !INSTANT.test(modifiedOn)) continue;
      newest ??= modifiedOn;
      if (modifiedOn !== newest)
        return { records: [], deletedIds: [], cursor: watermarkCursor(newest, seen) };
      seen.push(digest(row, names));
    }
    path = page.nextLink;
  }
  return { records: [], deletedIds: [], cursor: watermarkCursor(newest ?? BEGINNING, seen) };
}

function watermarkCursor(instant: string, seen: readonly string[]): string {
  return `${WATERMARK}${instant};${seen.join(',')}`;
}

async function readSinceWatermark(
  client: DataverseClient,
  names: CrmTableNames,
  select: readonly string[],
  cursor: string,
  options: ChangeReadOptions,
): Promise<CrmChangedRecords> {
  const [instant = '', seenList = ''] = cursor.slice(WATERMARK.length).split(';');
  if (!INSTANT.test(instant)) throw invalidCursor(cursor);
  const seen = new Set(seenList === '' ? [] : seenList.split(','));
  let path: string | undefined = `${names.entitySetName}${queryString({
    select: columnsFor(names, select),
    filter: `modifiedon ge ${instant}`,
    orderBy: ['modifiedon asc', `${names.primaryIdAttribute} asc`],
  })}`;
  const records: CrmRecord[] = [];
  let newest = instant;
  let newestSeen = new Set(seen);
  const pageOptions = options.pageSize !== undefined ? { pageSize: options.pageSize } : {};
  while (path !== undefined) {
    const page = await client.retrievePage(path, pageOptions);
    for (const row of page.value) {
      const modifiedOn = String(row['modifiedon'] ?? '');
      const mark = digest(row, names);
      if (modifiedOn === instant && seen.has(mark)) continue;
      records.push(toCrmRecord(names, row));
      if (modifiedOn !== newest && INSTANT.test(modifiedOn) && Date.parse(modifiedOn) > Date.parse(newest)) {
        newest = modifiedOn;
        newestSeen = new Set();
      }
      if (modifiedOn === newest) newestSeen.add(mark);
    }
    path = page.nextLink;
  }
  return { records, deletedIds: [], cursor: watermarkCursor(newest, [...newestSeen]) };
}
