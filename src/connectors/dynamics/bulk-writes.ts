import { DataverseError } from './dataverse-error.js';
import {
  JSON_CONTENT_TYPE,
  parseJson,
  type DataverseRecord,
  type DataverseSender,
} from './dataverse-request.js';
import { assertIdentifier } from './odata-syntax.js';

/**
 * The bulk messages (MSDocs bulk-operations): `CreateMultiple`, `UpdateMultiple` and `UpsertMultiple`
 * write many rows of one table in one request, atomically on standard tables. Each `Targets` entry
 * must carry `@odata.type`. There is no fixed row limit, but MSDocs suggest starting at 1,000 rows per
 * request on standard tables and sending fewer when a request gets too large or too slow.
 */

export type BulkAction = 'CreateMultiple' | 'UpdateMultiple' | 'UpsertMultiple';

/** Our ceiling per request: MSDocs' starting point for standard tables, and what the emulator accepts. */
export const MAX_BULK_TARGETS = 1000;

export interface BulkWriteOptions {
  /** Rows per request, 1 to {@link MAX_BULK_TARGETS}; default the maximum. */
  readonly chunkSize?: number;
}

export function* chunksOf<T>(items: readonly T[], chunkSize = MAX_BULK_TARGETS): Generator<T[]> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_BULK_TARGETS)
    throw new DataverseError(
      'crm_validation_failed',
      `chunkSize must be 1 to ${MAX_BULK_TARGETS}.`,
      undefined,
    );
  for (let start = 0; start < items.length; start += chunkSize) yield items.slice(start, start + chunkSize);
}

/** One bulk request for one chunk; its answer's JSON body (CreateMultiple returns `Ids`). */
export async function sendBulkWrite(
  sender: DataverseSender,
  action: BulkAction,
  entitySet: string,
  logicalName: string,
  records: readonly DataverseRecord[],
): Promise<unknown> {
  assertIdentifier(logicalName, 'table');
  const type = `Microsoft.Dynamics.CRM.${logicalName}`;
  const response = await sender.send({
    method: 'POST',
    path: `${assertIdentifier(entitySet, 'entity set')}/Microsoft.Dynamics.CRM.${action}`,
    headers: { 'Content-Type': JSON_CONTENT_TYPE },
    body: JSON.stringify({ Targets: records.map((record) => ({ ...record, '@odata.type': type })) }),
    // Every target is a data change for the request entitlement (MSDocs bulk-operations, FAQ).
    operations: records.length,
  });
  return parseJson(response.body, action);
}

/** `CreateMultiple` in chunks; the new ids in input order. */
export async function createMultiple(
  sender: DataverseSender,
  entitySet: string,
  logicalName: string,
  records: readonly DataverseRecord[],
  options: BulkWriteOptions = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (const chunk of chunksOf(records, options.chunkSize)) {
    const body = await sendBulkWrite(sender, 'CreateMultiple', entitySet, logicalName, chunk);
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

/** `UpdateMultiple` or `UpsertMultiple` in chunks (UpdateMultiple rows must carry their primary key). */
export async function writeMultiple(
  sender: DataverseSender,
  action: 'UpdateMultiple' | 'UpsertMultiple',
  entitySet: string,
  logicalName: string,
  records: readonly DataverseRecord[],
  options: BulkWriteOptions = {},
): Promise<void> {
  for (const chunk of chunksOf(records, options.chunkSize))
    await sendBulkWrite(sender, action, entitySet, logicalName, chunk);
}
