import { label, managedProperty } from './localized-label.js';
import { metadataId } from './metadata-identity.js';
import type { TableCatalog, TableModel } from './table-catalog.js';
import type { AttributeDefinition, OptionDefinition } from './table-definition.js';

/**
 * The OptionSet of a choice column (OptionSetMetadata; BooleanOptionSetMetadata for yes/no columns), in the
 * shape of MSDocs webapi/query-metadata-web-api.md §Retrieving attributes. Clients read
 * `Options[i].Value` and `Options[i].Label.UserLocalizedLabel.Label`.
 */
export type OptionSetMetadata = Readonly<Record<string, unknown>> & {
  readonly MetadataId: string;
  readonly Name: string;
};

/** A column's option set is local unless the published page names a shared (global) one. */
export function optionSetName(table: TableModel, attribute: AttributeDefinition): string {
  return attribute.globalChoiceName ?? `${table.logicalName}_${attribute.logicalName}`;
}

/**
 * Local option sets are named `<table>_<column>` by Dataverse; any other name is a global choice
 * (e.g. `budgetstatus`, shared by lead and opportunity). The docs' `account_preferredappointmentdaycode`
 * example answers `"IsGlobal": false`, so `lead_leadsourcecode` is local too.
 */
export function isGlobalOptionSet(table: TableModel, attribute: AttributeDefinition): boolean {
  return optionSetName(table, attribute) !== `${table.logicalName}_${attribute.logicalName}`;
}

export interface OptionSetSource {
  readonly table: TableModel;
  readonly attribute: AttributeDefinition;
}

const globalIndex = new WeakMap<TableCatalog, Map<string, OptionSetSource>>();

/** Global option sets by name; the first column using one (catalog order) supplies its labels. */
export function globalOptionSets(catalog: TableCatalog): ReadonlyMap<string, OptionSetSource> {
  let index = globalIndex.get(catalog);
  if (!index) {
    index = new Map();
    for (const table of catalog.tables)
      for (const attribute of table.definition.attributes) {
        if (!attribute.options?.length || !isGlobalOptionSet(table, attribute)) continue;
        const name = optionSetName(table, attribute);
        if (!index.has(name)) index.set(name, { table, attribute });
      }
    globalIndex.set(catalog, index);
  }
  return index;
}

const OPTION_SET_TYPES: Readonly<Record<string, string>> = {
  Picklist: 'Picklist',
  MultiSelectPicklist: 'Picklist',
  State: 'State',
  Status: 'Status',
  Boolean: 'Boolean',
};

/** `OptionSet` of a column, or null when it has none (entity-name columns carry no options). */
export function buildOptionSet(catalog: TableCatalog, source: OptionSetSource): OptionSetMetadata | null {
  const type = OPTION_SET_TYPES[source.attribute.type];
  if (!type || !source.attribute.options?.length) return null;
  const name = optionSetName(source.table, source.attribute);
  const isGlobal = isGlobalOptionSet(source.table, source.attribute);
  // A global set looks the same from every column that uses it.
  const { attribute } = (isGlobal && globalOptionSets(catalog).get(name)) || source;
  const options = attribute.options ?? [];
  const head =
    type === 'Boolean'
      ? {
          TrueOption: buildOption(
            name,
            type,
            options.find((o) => o.value === 1) ?? { value: 1, label: 'Yes' },
          ),
          FalseOption: buildOption(
            name,
            type,
            options.find((o) => o.value === 0) ?? { value: 0, label: 'No' },
          ),
        }
      : { Options: options.map((o) => buildOption(name, type, o)), ParentOptionSetName: null };
  return {
    ...head,
    Description: label(attribute.description, 'optionset', name, 'Description'),
    DisplayName: label(attribute.displayName, 'optionset', name, 'DisplayName'),
    ExternalTypeName: null,
    IntroducedVersion: '5.0.0.0',
    IsCustomOptionSet: false,
    IsCustomizable: managedProperty(true, 'iscustomizable', false),
    IsGlobal: isGlobal,
    IsManaged: true,
    Name: name,
    OptionSetType: type,
    MetadataId: metadataId('optionset', name),
    HasChanged: null,
  };
}

/** OptionMetadata; state options add DefaultStatus/InvariantName, status options State (StateOptionMetadata, StatusOptionMetadata). */
function buildOption(setName: string, type: string, option: OptionDefinition): Record<string, unknown> {
  const derived =
    type === 'State'
      ? { '@odata.type': '#Microsoft.Dynamics.CRM.StateOptionMetadata' }
      : type === 'Status'
        ? { '@odata.type': '#Microsoft.Dynamics.CRM.StatusOptionMetadata' }
        : {};
  const base = {
    ...derived,
    Value: option.value,
    Label: label(option.label, 'option', setName, String(option.value)),
    Description: label(undefined),
    Color: null,
    IsManaged: true,
    ExternalValue: null,
    ParentValues: [],
    Tag: null,
    IsHidden: false,
    MetadataId: null,
    HasChanged: null,
  };
  if (type === 'State')
    return {
      ...base,
      DefaultStatus: option.defaultStatus ?? null,
      InvariantName: option.invariantName ?? option.label,
    };
  if (type === 'Status') return { ...base, State: option.state ?? null, TransitionData: null };
  return base;
}

/** Properties of the option set types, for `$select` checks. */
export const OPTION_SET_PROPERTIES: ReadonlySet<string> = new Set([
  'Options',
  'ParentOptionSetName',
  'Description',
  'DisplayName',
  'ExternalTypeName',
  'IntroducedVersion',
  'IsCustomOptionSet',
  'IsCustomizable',
  'IsGlobal',
  'IsManaged',
  'Name',
  'OptionSetType',
  'MetadataId',
  'HasChanged',
]);

export const BOOLEAN_OPTION_SET_PROPERTIES: ReadonlySet<string> = new Set(
  [...OPTION_SET_PROPERTIES]
    .filter((p) => p !== 'Options' && p !== 'ParentOptionSetName')
    .concat(['TrueOption', 'FalseOption']),
);
