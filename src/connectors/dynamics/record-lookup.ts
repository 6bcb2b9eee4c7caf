import type { BatchOperation } from './batch/batch-request.js';
import { MAX_BATCH_OPERATIONS } from './batch/batch-request.js';
import type { DataverseClient } from './dataverse-client.js';
import { DataverseError } from './dataverse-error.js';
import type { DataverseRecord } from './dataverse-request.js';
import { odataIn, queryString } from './odata-syntax.js';

/**
 * Looks rows up by the values of one column: each lookup becomes
 * `GET <set>?$select=…&$filter=Microsoft.Dynamics.CRM.In(PropertyName='<column>',PropertyValues=[…])`,
 * and all of them travel in as few `$batch` requests as Dataverse allows (1,000 operations each, §3).
 *
 * Values go into `PropertyValues` as JSON strings: Dataverse reads that array with a JSON reader, so
 * `"O'Brien"` needs no escaping and `"x') or (1 eq 1"` stays one literal (a single-quoted value would
 * end at the first `'`, MSDocs webapi/query/filter-rows.md §Manage single quotes). The whole `$filter`
 * is then percent-encoded, so `&`, `+`, `#` and `%` in a value cannot reach the query string either.
 */

export interface ColumnLookup {
  readonly entitySet: string;
  readonly column: string;
  readonly values: readonly string[];
  /** Columns to return. */
  readonly select: readonly string[];
}

export interface LookupOptions {
  /** `odata.maxpagesize` for each GET; more rows come back through nextLinks. Default 5,000. */
  readonly pageSize?: number;
  /** Values per GET. Dataverse turns `In` into a SQL `IN` list, which stays fast and well under SQL Server's 2,100 parameters this way. */
  readonly maxValuesPerRequest?: number;
  /** Longest request target per GET, in characters: GETs inside a batch may be 64 KB; stay well below. */
  readonly maxPathLength?: number;
}

export const DEFAULT_LOOKUP_OPTIONS = {
  pageSize: 5000,
  maxValuesPerRequest: 500,
  maxPathLength: 32_000,
} as const;

/** What lookups need of the client (a narrow view, so tests can stand in for Dataverse). */
export type LookupClient = Pick<DataverseClient, 'executeBatch' | 'servicePathOf'>;

interface PendingGet {
  readonly lookup: number;
  readonly path: string;
}

const encodedLength = (text: string) => encodeURIComponent(text).length;

/** The GET paths for one lookup: its values split so no path gets too long or holds too many values. */
export function lookupPaths(lookup: ColumnLookup, options: LookupOptions = {}): string[] {
  const maxValues = options.maxValuesPerRequest ?? DEFAULT_LOOKUP_OPTIONS.maxValuesPerRequest;
  const maxLength = options.maxPathLength ?? DEFAULT_LOOKUP_OPTIONS.maxPathLength;
  const values = [...new Set(lookup.values.filter((value) => value !== ''))];
  const pathFor = (group: readonly string[]) =>
    `${lookup.entitySet}${queryString({ select: lookup.select, filter: odataIn(lookup.column, group) })}`;
  const base = pathFor([]).length;
  const paths: string[] = [];
  let group: string[] = [];
  let length = base;
  const comma = encodedLength(',');
  for (const value of values) {
    const cost = encodedLength(JSON.stringify(value));
    if (base + cost > maxLength)
      throw new DataverseError(
        'crm_validation_failed',
        `A value of ${lookup.column} is too long to look up (${value.length} characters).`,
        undefined,
      );
    if (group.length >= maxValues || length + comma + cost > maxLength) {
      paths.push(pathFor(group));
      group = [];
      length = base;
    }
    length += cost + (group.length > 0 ? comma : 0);
    group.push(value);
  }
  if (group.length > 0) paths.push(pathFor(group));
  return paths;
}

/**
 * Runs the lookups and returns, per lookup, the rows found (each row once). Pages beyond the first
 * are fetched in further `$batch` rounds. Any failed GET fails the call: a lookup that silently found
 * nothing would make the sync create a duplicate.
 */
export async function lookupRows(
  client: LookupClient,
  lookups: readonly ColumnLookup[],
  options: LookupOptions = {},
): Promise<DataverseRecord[][]> {
  const pageSize = options.pageSize ?? DEFAULT_LOOKUP_OPTIONS.pageSize;
  const headers = { Prefer: `odata.maxpagesize=${pageSize}` };
  const results = lookups.map(() => [] as DataverseRecord[]);
  let pending: PendingGet[] = lookups.flatMap((lookup, index) =>
    lookupPaths(lookup, options).map((path) => ({ lookup: index, path })),
  );
  while (pending.length > 0) {
    const next: PendingGet[] = [];
    for (let start = 0; start < pending.length; start += MAX_BATCH_OPERATIONS) {
      const round = pending.slice(start, start + MAX_BATCH_OPERATIONS);
      const operations = round.map((get): BatchOperation => ({ method: 'GET', path: get.path, headers }));
      const outcomes = await client.executeBatch(operations);
      outcomes.forEach((outcome, index) => {
        const get = round[index] as PendingGet;
        if (outcome.status === 'failed') throw outcome.error;
        if (outcome.status === 'not_executed')
          throw new DataverseError(
            'crm_unavailable',
            'Dynamics 365 did not run every lookup of the batch.',
            undefined,
          );
        const body = outcome.responses[0]?.body as
          { value?: DataverseRecord[]; '@odata.nextLink'?: string } | undefined;
        (results[get.lookup] as DataverseRecord[]).push(...(Array.isArray(body?.value) ? body.value : []));
        const link = body?.['@odata.nextLink'];
        if (typeof link === 'string') next.push({ lookup: get.lookup, path: client.servicePathOf(link) });
      });
    }
    pending = next;
  }
  return results;
}

/** The ids among `ids` that exist in the table: one `In` lookup on the primary key. */
export async function existingIds(
  client: LookupClient,
  entitySet: string,
  primaryIdAttribute: string,
  ids: readonly string[],
  options: LookupOptions = {},
): Promise<Set<string>> {
  const [rows = []] = await lookupRows(
    client,
    [{ entitySet, column: primaryIdAttribute, values: ids, select: [primaryIdAttribute] }],
    options,
  );
  return new Set(rows.map((row) => String(row[primaryIdAttribute]).toLowerCase()));
}
