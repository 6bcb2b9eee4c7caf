import { readFileSync } from 'node:fs';
import type { ChoiceOption, ColumnMetadata, RequiredLevel, TableMetadata } from '../domain/index.js';

/**
 * Table metadata for the capture unit tests, built from the same Microsoft-documented table
 * definitions the Dataverse emulator serves (lead.md, contact.md), so mappings are tested against the
 * real column types, required levels and lengths rather than ones invented for the test. Read as a
 * file, not imported, so capture/ does not depend on the emulator's code.
 */
interface DefinitionFile {
  readonly logicalName: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute?: string;
  readonly attributes: ReadonlyArray<{
    readonly logicalName: string;
    readonly type: string;
    readonly displayName?: string;
    readonly requiredLevel: RequiredLevel;
    readonly maxLength?: number;
    readonly options?: readonly ChoiceOption[];
    readonly isValidForCreate?: boolean;
    readonly isValidForUpdate?: boolean;
  }>;
}

let definitions: readonly DefinitionFile[] | undefined;

export function crmTable(logicalName: 'lead' | 'contact' | 'account'): TableMetadata {
  definitions ??= JSON.parse(
    readFileSync(new URL('../emulators/dataverse/metadata/dataverse-tables.json', import.meta.url), 'utf8'),
  ) as DefinitionFile[];
  const table = definitions.find((t) => t.logicalName === logicalName);
  if (table === undefined) throw new Error(`no definition for ${logicalName}`);
  const columns = new Map<string, ColumnMetadata>();
  for (const a of table.attributes)
    columns.set(a.logicalName, {
      logicalName: a.logicalName,
      type: a.type,
      requiredLevel: a.requiredLevel,
      ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
      ...(a.maxLength !== undefined ? { maxLength: a.maxLength } : {}),
      ...(a.options !== undefined
        ? { options: a.options.map(({ value, label }) => ({ value, label })) }
        : {}),
      ...(a.isValidForCreate !== undefined ? { validForCreate: a.isValidForCreate } : {}),
      ...(a.isValidForUpdate !== undefined ? { validForUpdate: a.isValidForUpdate } : {}),
    });
  return {
    logicalName: table.logicalName,
    entitySetName: table.entitySetName,
    primaryIdAttribute: table.primaryIdAttribute,
    ...(table.primaryNameAttribute !== undefined ? { primaryNameAttribute: table.primaryNameAttribute } : {}),
    columns,
  };
}
