import { label, managedProperty } from './localized-label.js';
import { metadataId } from './metadata-identity.js';
import type { MetadataOptions } from './metadata-options.js';
import type { TableCatalog, TableModel } from './table-catalog.js';

/**
 * One table as the EntityMetadata entity type (`GET EntityDefinitions(LogicalName='lead')`), with the
 * properties clients read (MSDocs webapi/query-metadata-web-api.md; reference/entities/*.md "Properties").
 */
export type EntityMetadata = Readonly<Record<string, unknown>> & { readonly MetadataId: string };

/** Properties of EntityMetadata this emulator serves, in the order it writes them. */
export const ENTITY_METADATA_PROPERTIES: readonly string[] = [
  'AutoCreateAccessTeams',
  'AutoRouteToOwnerQueue',
  'CanCreateAttributes',
  'CanTriggerWorkflow',
  'ChangeTrackingEnabled',
  'CollectionSchemaName',
  'DataProviderId',
  'DataSourceId',
  'Description',
  'DisplayCollectionName',
  'DisplayName',
  'EnforceStateTransitions',
  'EntityColor',
  'EntitySetName',
  'ExternalCollectionName',
  'ExternalName',
  'HasActivities',
  'HasChanged',
  'HasNotes',
  'IntroducedVersion',
  'IsActivity',
  'IsActivityParty',
  'IsAuditEnabled',
  'IsAvailableOffline',
  'IsBPFEntity',
  'IsChildEntity',
  'IsConnectionsEnabled',
  'IsCustomEntity',
  'IsCustomizable',
  'IsDuplicateDetectionEnabled',
  'IsEnabledForCharts',
  'IsImportable',
  'IsIntersect',
  'IsLogicalEntity',
  'IsManaged',
  'IsMappable',
  'IsPrivate',
  'IsQuickCreateEnabled',
  'IsRenameable',
  'IsStateModelAware',
  'IsValidForAdvancedFind',
  'IsValidForQueue',
  'LogicalCollectionName',
  'LogicalName',
  'MetadataId',
  'ObjectTypeCode',
  'OwnershipType',
  'PrimaryIdAttribute',
  'PrimaryImageAttribute',
  'PrimaryNameAttribute',
  'RecurrenceBaseEntityLogicalName',
  'ReportViewName',
  'SchemaName',
  'TableType',
  'UsesBusinessDataLabelTable',
];

/** Navigation properties of EntityMetadata; only Attributes and Keys are served. */
export const ENTITY_METADATA_NAVIGATIONS: ReadonlySet<string> = new Set([
  'Attributes',
  'Keys',
  'ManyToOneRelationships',
  'OneToManyRelationships',
  'ManyToManyRelationships',
]);

/** Object type codes of the out-of-box tables (reference/entities/*.md, ObjectTypeCode). */
const OBJECT_TYPE_CODES: Readonly<Record<string, number>> = {
  account: 1,
  contact: 2,
  opportunity: 3,
  lead: 4,
  annotation: 5,
  systemuser: 8,
  team: 9,
  businessunit: 10,
  position: 50,
  activityparty: 135,
  activitypointer: 4200,
  phonecall: 4210,
  task: 4212,
  list: 4300,
  listmember: 4301,
  campaign: 4400,
  transactioncurrency: 9105,
};

/** Custom tables get codes from 10000 up, as Dataverse assigns them. */
export function objectTypeCode(catalog: TableCatalog, table: TableModel): number {
  return OBJECT_TYPE_CODES[table.logicalName] ?? 10000 + catalog.tables.indexOf(table);
}

export function tableMetadataId(logicalName: string): string {
  return metadataId('entity', logicalName);
}

export function buildEntityMetadata(
  catalog: TableCatalog,
  table: TableModel,
  options: MetadataOptions,
): EntityMetadata {
  const d = table.definition;
  const name = table.logicalName;
  const references = (referencingTable: string, attribute: string) =>
    [...table.collectionNavigations.values()].some(
      (c) => c.referencingTable === referencingTable && c.referencingAttribute === attribute,
    );
  const values: Record<string, unknown> = {
    AutoCreateAccessTeams: false,
    AutoRouteToOwnerQueue: false,
    CanCreateAttributes: managedProperty(true, 'cancreateattributes', false),
    CanTriggerWorkflow: true,
    ChangeTrackingEnabled: options.changeTrackingEnabled?.(name) ?? false,
    CollectionSchemaName: collectionSchemaName(table),
    DataProviderId: null,
    DataSourceId: null,
    Description: label(undefined),
    DisplayCollectionName: label(plural(d.displayName), 'entity', name, 'DisplayCollectionName'),
    DisplayName: label(d.displayName, 'entity', name, 'DisplayName'),
    EnforceStateTransitions: false,
    EntityColor: null,
    EntitySetName: table.entitySetName,
    ExternalCollectionName: null,
    ExternalName: null,
    HasActivities:
      references('task', 'regardingobjectid') || references('activitypointer', 'regardingobjectid'),
    HasChanged: null,
    HasNotes: references('annotation', 'objectid'),
    IntroducedVersion: '5.0.0.0',
    IsActivity: d.isActivity,
    IsActivityParty: references('activityparty', 'partyid'),
    IsAuditEnabled: managedProperty(true, 'canmodifyauditsettings'),
    IsAvailableOffline: true,
    IsBPFEntity: false,
    IsChildEntity: false,
    IsConnectionsEnabled: managedProperty(true, 'canmodifyconnectionsettings'),
    IsCustomEntity: false,
    IsCustomizable: managedProperty(true, 'iscustomizable', false),
    IsDuplicateDetectionEnabled: managedProperty(!d.isActivity, 'canmodifyduplicatedetectionsettings'),
    IsEnabledForCharts: true,
    IsImportable: true,
    IsIntersect: false,
    IsLogicalEntity: false,
    IsManaged: true,
    IsMappable: managedProperty(true, 'canmodifymappingsettings'),
    IsPrivate: false,
    IsQuickCreateEnabled: false,
    IsRenameable: managedProperty(true, 'isrenameable'),
    IsStateModelAware: d.attributes.some((a) => a.type === 'State'),
    // Activity parties are reached through their activities, not queried on their own.
    IsValidForAdvancedFind: name !== 'activityparty',
    IsValidForQueue: managedProperty(d.isActivity, 'canmodifyqueuesettings'),
    // "By default, the entity set name matches the LogicalCollectionName" (webapi/web-api-service-documents.md).
    LogicalCollectionName: table.entitySetName,
    LogicalName: name,
    MetadataId: tableMetadataId(name),
    ObjectTypeCode: objectTypeCode(catalog, table),
    OwnershipType: d.ownershipType,
    PrimaryIdAttribute: table.primaryIdAttribute,
    PrimaryImageAttribute: d.attributes.some((a) => a.logicalName === 'entityimage') ? 'entityimage' : null,
    PrimaryNameAttribute: table.primaryNameAttribute,
    RecurrenceBaseEntityLogicalName: null,
    ReportViewName: `Filtered${d.schemaName}`,
    SchemaName: d.schemaName,
    TableType: 'Standard',
    UsesBusinessDataLabelTable: false,
  };
  return Object.fromEntries(ENTITY_METADATA_PROPERTIES.map((key) => [key, values[key]])) as EntityMetadata;
}

/** `Leads`, `Opportunities`, `ActivityParties`: the schema name with the entity set name's plural ending. */
function collectionSchemaName(table: TableModel): string {
  const { logicalName, entitySetName } = table;
  let common = 0;
  while (common < logicalName.length && logicalName[common] === entitySetName[common]) common++;
  return table.definition.schemaName.slice(0, common) + entitySetName.slice(common);
}

/** English plural of a display name ("Phone Call" → "Phone Calls", "Currency" → "Currencies"). */
function plural(text: string): string {
  return /[^aeiou]y$/i.test(text) ? `${text.slice(0, -1)}ies` : `${text}s`;
}
