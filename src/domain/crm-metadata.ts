/**
 * What the app needs to know about a CRM table to map and write to it correctly: columns with their
 * type, required level and maximum length, and the options (with labels) of choice columns. The
 * connector reads it from `EntityDefinitions`; mapping validation reads it from here.
 */
export type CrmTable = 'lead' | 'contact' | 'account';
export const CRM_TABLES: readonly CrmTable[] = ['lead', 'contact', 'account'];

export type RequiredLevel = 'None' | 'SystemRequired' | 'ApplicationRequired' | 'Recommended';

export interface ChoiceOption {
  readonly value: number;
  readonly label: string;
}

export interface ColumnMetadata {
  readonly logicalName: string;
  /** AttributeType: `String`, `Memo`, `Picklist`, `Lookup`, `Money`, `Integer`, `Boolean`, `DateTime`, … */
  readonly type: string;
  readonly displayName?: string;
  readonly requiredLevel: RequiredLevel;
  readonly maxLength?: number;
  readonly options?: readonly ChoiceOption[];
  readonly validForCreate?: boolean;
  readonly validForUpdate?: boolean;
}

export interface TableMetadata {
  readonly logicalName: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute?: string;
  readonly columns: ReadonlyMap<string, ColumnMetadata>;
}
