import type { ChoiceOption, ColumnMetadata, RequiredLevel, TableMetadata } from '../../domain/index.js';
import type { BatchOperation } from './batch/batch-request.js';
import { escapeODataString } from './odata-syntax.js';

/**
 * What the connector needs to know about a table to write to it correctly: columns with their type,
 * required level and maximum length, and the options (with labels) of its choice columns. Read from
 * `EntityDefinitions` (docs/protocols/dataverse.md §5; MSDocs query-metadata-web-api).
 */

export type { ChoiceOption, ColumnMetadata, RequiredLevel, TableMetadata };

/** The domain's table description plus what only the connector needs. */
export interface DataverseTableMetadata extends TableMetadata {
  /** `ChangeTrackingEnabled`: whether delta links (`Prefer: odata.track-changes`) work for the table (§6). */
  readonly changeTrackingEnabled?: boolean;
}

/** The GETs that describe one table, to send as one `$batch` (one request against service protection). */
export function tableMetadataRequests(logicalName: string): BatchOperation[] {
  const table = `EntityDefinitions(LogicalName='${escapeODataString(logicalName)}')`;
  const cast = (type: string, query: string): BatchOperation => ({
    method: 'GET',
    path: `${table}/Attributes/Microsoft.Dynamics.CRM.${type}?${query}`,
  });
  const choices = '$select=LogicalName&$expand=OptionSet($select=Options)';
  return [
    {
      method: 'GET',
      path: `${table}?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled`,
    },
    {
      method: 'GET',
      path: `${table}/Attributes?$select=LogicalName,AttributeType,DisplayName,RequiredLevel,IsValidForCreate,IsValidForUpdate`,
    },
    cast('StringAttributeMetadata', '$select=LogicalName,MaxLength'),
    cast('MemoAttributeMetadata', '$select=LogicalName,MaxLength'),
    cast('PicklistAttributeMetadata', choices),
    cast('StateAttributeMetadata', choices),
    cast('StatusAttributeMetadata', choices),
    cast('MultiSelectPicklistAttributeMetadata', choices),
  ];
}

interface Label {
  readonly UserLocalizedLabel?: { readonly Label?: string } | null;
  readonly LocalizedLabels?: ReadonlyArray<{ readonly Label?: string }>;
}

const labelText = (label: Label | null | undefined): string | undefined =>
  label?.UserLocalizedLabel?.Label ?? label?.LocalizedLabels?.[0]?.Label ?? undefined;

type Json = Record<string, unknown>;

const asArray = (value: unknown): Json[] =>
  Array.isArray((value as { value?: unknown })?.value) ? ((value as { value: Json[] }).value ?? []) : [];

const REQUIRED_LEVELS = new Set<RequiredLevel>([
  'None',
  'SystemRequired',
  'ApplicationRequired',
  'Recommended',
]);

/** Builds the table from the batch answers, in the order of {@link tableMetadataRequests}. */
export function parseTableMetadata(bodies: readonly unknown[]): DataverseTableMetadata {
  const [definition, attributes, strings, memos, ...choiceSets] = bodies as Json[];
  const maxLengths = new Map<string, number>();
  for (const row of [...asArray(strings), ...asArray(memos)])
    if (typeof row['MaxLength'] === 'number') maxLengths.set(String(row['LogicalName']), row['MaxLength']);
  const options = new Map<string, ChoiceOption[]>();
  for (const set of choiceSets)
    for (const row of asArray(set)) {
      const list = ((row['OptionSet'] as Json | undefined)?.['Options'] as Json[] | undefined) ?? [];
      options.set(
        String(row['LogicalName']),
        list.map((option) => ({
          value: Number(option['Value']),
          label: labelText(option['Label'] as Label | undefined) ?? String(option['Value']),
        })),
      );
    }
  const columns = new Map<string, ColumnMetadata>();
  for (const row of asArray(attributes)) {
    const logicalName = String(row['LogicalName']);
    const level = (row['RequiredLevel'] as { Value?: string } | undefined)?.Value as
      RequiredLevel | undefined;
    const displayName = labelText(row['DisplayName'] as Label | undefined);
    const maxLength = maxLengths.get(logicalName);
    const choice = options.get(logicalName);
    columns.set(logicalName, {
      logicalName,
      type: String(row['AttributeType'] ?? 'Unknown'),
      requiredLevel: level !== undefined && REQUIRED_LEVELS.has(level) ? level : 'None',
      ...(displayName !== undefined ? { displayName } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(choice !== undefined ? { options: choice } : {}),
      ...(typeof row['IsValidForCreate'] === 'boolean' ? { validForCreate: row['IsValidForCreate'] } : {}),
      ...(typeof row['IsValidForUpdate'] === 'boolean' ? { validForUpdate: row['IsValidForUpdate'] } : {}),
    });
  }
  const d = definition ?? {};
  return {
    logicalName: String(d['LogicalName']),
    entitySetName: String(d['EntitySetName']),
    primaryIdAttribute: String(d['PrimaryIdAttribute']),
    ...(typeof d['PrimaryNameAttribute'] === 'string'
      ? { primaryNameAttribute: d['PrimaryNameAttribute'] }
      : {}),
    ...(typeof d['ChangeTrackingEnabled'] === 'boolean'
      ? { changeTrackingEnabled: d['ChangeTrackingEnabled'] }
      : {}),
    columns,
  };
}

/**
 * Metadata changes rarely (a customisation), so it is cached for a while; concurrent readers of a
 * table share one fetch.
 */
export class MetadataCache<T> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.now() - entry.at < this.ttlMs) return entry.value;
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    // A failed load is not cached: the next reader tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
