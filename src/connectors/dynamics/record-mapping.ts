import type { CrmRecord } from '../../domain/index.js';
import type { CrmTableNames } from './crm-table-names.js';
import type { DataverseRecord } from './dataverse-request.js';

const SYSTEM_COLUMNS = new Set(['createdon', 'modifiedon']);

/** A Web API row as the app's record: id and timestamps apart, annotations (`@odata.etag`, …) left out. */
export function toCrmRecord(names: CrmTableNames, row: DataverseRecord): CrmRecord {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    if (!key.includes('@') && key !== names.primaryIdAttribute && !SYSTEM_COLUMNS.has(key))
      values[key] = value;
  return {
    table: names.logicalName,
    id: String(row[names.primaryIdAttribute] ?? '').toLowerCase(),
    createdOn: String(row['createdon'] ?? ''),
    modifiedOn: String(row['modifiedon'] ?? ''),
    values,
  };
}
