import type { ColumnMetadata, TableMetadata } from '../domain/index.js';

/**
 * Required columns Dataverse fills itself on create: the owner (the caller, or the source's owner
 * setting), the owner's type, and the default state and status. The primary id is ours to choose
 * (a deterministic GUID), so it is never a mapping's business either.
 */
const PLATFORM_FILLED: ReadonlySet<string> = new Set(['statecode', 'statuscode', 'ownerid', 'owneridtype']);

/**
 * Columns a mapping must fill for a create: `ApplicationRequired` or `SystemRequired`, valid for
 * create, and not filled by the platform. ApplicationRequired is only a form rule in Dataverse
 * (docs/protocols/dataverse.md §5.2), but leads without a topic or last name are what admins asked to
 * be kept out, so both levels count here.
 */
export function requiredColumnsForCreate(metadata: TableMetadata): readonly ColumnMetadata[] {
  return [...metadata.columns.values()].filter(
    (column) =>
      (column.requiredLevel === 'ApplicationRequired' || column.requiredLevel === 'SystemRequired') &&
      column.validForCreate !== false &&
      column.logicalName !== metadata.primaryIdAttribute &&
      !PLATFORM_FILLED.has(column.logicalName),
  );
}

export const columnName = (column: ColumnMetadata): string => column.displayName ?? column.logicalName;
