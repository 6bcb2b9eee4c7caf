import { dataverseErrors } from '../errors.js';
import type { DataverseEnvironment, OperationContext, RecordRef } from '../environment.js';
import type { TableModel } from '../metadata/table-catalog.js';
import { isLookupValue, type StoredRecord, type StoreTransaction } from '../persistence/record-store.js';
import { parseResourcePath, splitServicePath, type RecordKey } from '../protocol/resource-path.js';

/** Finds the id a key addresses: a GUID directly, or an alternate key configured for the table. */
export function resolveKey(
  env: DataverseEnvironment,
  tx: StoreTransaction,
  table: TableModel,
  key: RecordKey,
): string | undefined {
  if (key.kind === 'id') return key.id;
  const names = [...key.values.keys()];
  // `(leadid=<guid>)` names the primary key; systemuser/team can't, their key is the inherited ownerid.
  if (
    names.length === 1 &&
    names[0] === table.primaryIdAttribute &&
    table.definition.ownershipType !== 'BusinessOwned'
  ) {
    const value = key.values.get(table.primaryIdAttribute);
    return typeof value === 'string' ? value : undefined;
  }
  const defined = (env.settings.alternateKeys[table.logicalName] ?? []).find(
    (k) => k.attributes.length === names.length && k.attributes.every((a) => key.values.has(a)),
  );
  if (!defined) throw dataverseErrors.invalidKey(table.logicalName);
  for (const row of tx.rows(table.logicalName)) {
    if (defined.attributes.every((a) => sameKeyValue(row[a], key.values.get(a))))
      return String(row[table.primaryIdAttribute]);
  }
  return undefined;
}

/**
 * An alternate key is a unique index: a write that would give two rows the same key values fails with
 * DuplicateRecord (checklist item 2). Rows with an empty key column are left out, as the index is
 * filtered to rows that have every key value.
 */
export function assertUniqueAlternateKeys(
  env: DataverseEnvironment,
  tx: StoreTransaction,
  table: TableModel,
  record: StoredRecord,
  id: string,
): void {
  for (const key of env.settings.alternateKeys[table.logicalName] ?? []) {
    const wanted = key.attributes.map((a) => {
      const value = record[a];
      return isLookupValue(value) ? value.id : value;
    });
    if (wanted.some((v) => v === null || v === undefined || v === '')) continue;
    for (const row of tx.rows(table.logicalName)) {
      if (row[table.primaryIdAttribute] === id) continue;
      if (key.attributes.every((a, i) => sameKeyValue(row[a], wanted[i])))
        throw dataverseErrors.duplicateKey();
    }
  }
}

function sameKeyValue(stored: unknown, wanted: unknown): boolean {
  if (typeof stored === 'string' && typeof wanted === 'string')
    return stored.toLowerCase() === wanted.toLowerCase();
  if (typeof stored === 'object' && stored !== null && 'id' in stored) return stored.id === wanted;
  return stored === wanted;
}

/** activitypointer is a view: `activitypointers(<id>)` finds the row in its concrete activity table. */
function rowById(ctx: OperationContext, table: TableModel, id: string): StoredRecord | undefined {
  if (!table.isActivityView) return ctx.tx.get(table.logicalName, id);
  for (const activity of ctx.env.catalog.tables) {
    if (!activity.definition.isActivity || activity.isActivityView) continue;
    const row = ctx.tx.get(activity.logicalName, id);
    if (row) return row;
  }
  return undefined;
}

/** The row behind a key, or Dataverse's 404 for it. */
export function requireRecord(
  ctx: OperationContext,
  table: TableModel,
  key: RecordKey,
): { id: string; record: StoredRecord } {
  const id = resolveKey(ctx.env, ctx.tx, table, key);
  const record = id === undefined ? undefined : rowById(ctx, table, id);
  if (id === undefined || !record) {
    if (key.kind === 'id' || id !== undefined)
      throw dataverseErrors.recordNotFound(table.logicalName, id ?? '');
    throw dataverseErrors.recordNotFoundByKey(table.logicalName);
  }
  return { id, record };
}

/**
 * Resolves a record URI as `@odata.bind` and `$ref` bodies use it: `/contacts(<id>)`, `contacts(<id>)`,
 * an absolute URL of this or any version, an alternate-key URI, or `$1` inside a change set
 * (protocols/dataverse.md §1.5).
 */
export function resolveRecordUri(ctx: OperationContext, uri: string): RecordRef {
  const text = uri.trim();
  if (/^\$\d+$/.test(text)) {
    const ref = ctx.contentIds.get(text.slice(1));
    if (!ref)
      throw dataverseErrors.invalidBind(
        `Content-ID Reference: '${text}' does not exist in the batch context.`,
      );
    return ref;
  }
  let path = text;
  if (/^https?:\/\//i.test(text)) {
    const parsed = splitServicePath(decodeURIComponent(new URL(text).pathname));
    if (!parsed)
      throw dataverseErrors.invalidBind(`The URI '${uri}' is not valid for the @odata.bind annotation.`);
    path = parsed.rest;
  } else {
    path = decodeURIComponent(text.replace(/^\//, ''));
    const versioned = splitServicePath(`/${path}`);
    if (versioned) path = versioned.rest;
  }
  const segments = parseResourcePath(path);
  const segment = segments[0];
  const table = segment ? ctx.env.catalog.tableBySetName(segment.name) : undefined;
  if (segments.length !== 1 || !segment?.key || !table)
    throw dataverseErrors.invalidBind(`The URI '${uri}' is not valid for the @odata.bind annotation.`);
  return { table, id: requireRecord(ctx, table, segment.key).id };
}
