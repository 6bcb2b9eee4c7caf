import { attributeKind, type AttributeMetadataType } from './attribute-kind.js';
import { label, managedProperty } from './localized-label.js';
import { metadataId } from './metadata-identity.js';
import type { TableModel } from './table-catalog.js';
import type { AttributeDefinition } from './table-definition.js';
import { subtypeValues } from './attribute-subtype-values.js';
import { describedLookup } from './web-api-properties.js';

/**
 * One column as AttributeMetadata or one of its subtypes (MSDocs webapi/query-metadata-web-api.md
 * §Querying EntityMetadata attributes). Properties of a subtype are only reachable through a cast to it,
 * so each subtype's property list is declared here and `$select` is checked against the declared type.
 */
export type AttributeMetadata = Readonly<Record<string, unknown>> & { readonly MetadataId: string };

const BASE_PROPERTIES: readonly string[] = [
  'AttributeOf',
  'AttributeType',
  'AttributeTypeName',
  'AutoNumberFormat',
  'CanBeSecuredForCreate',
  'CanBeSecuredForRead',
  'CanBeSecuredForUpdate',
  'CanModifyAdditionalSettings',
  'DeprecatedVersion',
  'Description',
  'DisplayName',
  'EntityLogicalName',
  'ExternalName',
  'HasChanged',
  'InheritsFrom',
  'IntroducedVersion',
  'IsAuditEnabled',
  'IsCustomAttribute',
  'IsCustomizable',
  'IsDataSourceSecret',
  'IsFilterable',
  'IsGlobalFilterEnabled',
  'IsLogical',
  'IsManaged',
  'IsPrimaryId',
  'IsPrimaryName',
  'IsRenameable',
  'IsRequiredForForm',
  'IsRetrievable',
  'IsSearchable',
  'IsSecured',
  'IsSortableEnabled',
  'IsValidForAdvancedFind',
  'IsValidForCreate',
  'IsValidForForm',
  'IsValidForGrid',
  'IsValidForRead',
  'IsValidForUpdate',
  'IsValidODataAttribute',
  'LinkedAttributeId',
  'LogicalName',
  'MetadataId',
  'RequiredLevel',
  'SchemaName',
  'Settings',
  'SourceType',
];

const NUMBER = ['FormulaDefinition', 'ImeMode', 'MaxValue', 'MinValue', 'SourceTypeMask'];
const CHOICE = [
  'ChildPicklistLogicalNames',
  'DefaultFormValue',
  'FormulaDefinition',
  'ParentPicklistLogicalName',
  'SourceTypeMask',
];

const SUBTYPE_PROPERTIES: Readonly<Record<AttributeMetadataType, readonly string[]>> = {
  StringAttributeMetadata: [
    'DatabaseLength',
    'Format',
    'FormatName',
    'FormulaDefinition',
    'ImeMode',
    'IsLocalizable',
    'MaxLength',
    'SourceTypeMask',
    'YomiOf',
  ],
  MemoAttributeMetadata: ['Format', 'FormatName', 'ImeMode', 'IsLocalizable', 'MaxLength'],
  LookupAttributeMetadata: ['Format', 'Targets'],
  PicklistAttributeMetadata: CHOICE,
  MultiSelectPicklistAttributeMetadata: CHOICE,
  StateAttributeMetadata: ['DefaultFormValue'],
  StatusAttributeMetadata: ['DefaultFormValue'],
  EntityNameAttributeMetadata: ['DefaultFormValue'],
  BooleanAttributeMetadata: ['DefaultValue', 'FormulaDefinition', 'SourceTypeMask'],
  DateTimeAttributeMetadata: [
    'CanChangeDateTimeBehavior',
    'DateTimeBehavior',
    'Format',
    'FormulaDefinition',
    'ImeMode',
    'MaxSupportedValue',
    'MinSupportedValue',
    'SourceTypeMask',
  ],
  IntegerAttributeMetadata: ['Format', ...NUMBER],
  BigIntAttributeMetadata: ['MaxValue', 'MinValue'],
  MoneyAttributeMetadata: ['CalculationOf', 'IsBaseCurrency', 'Precision', 'PrecisionSource', ...NUMBER],
  DecimalAttributeMetadata: ['Precision', ...NUMBER],
  DoubleAttributeMetadata: ['Precision', ...NUMBER],
  UniqueIdentifierAttributeMetadata: [],
  ImageAttributeMetadata: ['CanStoreFullImage', 'IsPrimaryImage', 'MaxHeight', 'MaxSizeInKB', 'MaxWidth'],
  FileAttributeMetadata: ['MaxSizeInKB'],
};

/** Properties a request may name on the declared type (the cast, or AttributeMetadata itself). */
export function attributeProperties(type: AttributeMetadataType | undefined): ReadonlySet<string> {
  return new Set([...BASE_PROPERTIES, ...(type ? SUBTYPE_PROPERTIES[type] : [])]);
}

const OPTION_SET_TYPES = new Set<AttributeMetadataType>([
  'PicklistAttributeMetadata',
  'MultiSelectPicklistAttributeMetadata',
  'StateAttributeMetadata',
  'StatusAttributeMetadata',
  'EntityNameAttributeMetadata',
  'BooleanAttributeMetadata',
]);

/** `OptionSet` and `GlobalOptionSet` are declared on EnumAttributeMetadata and BooleanAttributeMetadata. */
export function attributeNavigations(type: AttributeMetadataType | undefined): ReadonlySet<string> {
  return new Set(type && OPTION_SET_TYPES.has(type) ? ['OptionSet', 'GlobalOptionSet'] : []);
}

export function attributeMetadataId(table: string, attribute: string): string {
  return metadataId('attribute', table, attribute);
}

/** Column metadata never changes for a catalog, so each one is built once; callers copy before trimming. */
const cache = new WeakMap<TableModel, Map<AttributeDefinition, AttributeMetadata>>();

export function buildAttributeMetadata(table: TableModel, attribute: AttributeDefinition): AttributeMetadata {
  let built = cache.get(table);
  if (!built) cache.set(table, (built = new Map()));
  const cached = built.get(attribute);
  if (cached) return cached;
  const kind = attributeKind(attribute);
  const values = { ...baseValues(table, attribute), ...subtypeValues(table, attribute) };
  const keys = [...BASE_PROPERTIES, ...SUBTYPE_PROPERTIES[kind.metadataType]];
  const metadata = Object.freeze(
    Object.fromEntries([
      ['@odata.type', `#Microsoft.Dynamics.CRM.${kind.metadataType}`],
      ...keys.map((key) => [key, values[key] ?? null]),
    ]),
  ) as AttributeMetadata;
  built.set(attribute, metadata);
  return metadata;
}

function baseValues(table: TableModel, attribute: AttributeDefinition): Record<string, unknown> {
  const ids = ['attribute', table.logicalName, attribute.logicalName];
  const attributeOf = describedLookup(table, attribute) ?? null;
  const validForForm = 'isValidForForm' in attribute ? attribute.isValidForForm : true;
  return {
    AttributeOf: attributeOf,
    AttributeType: attributeKind(attribute).attributeTypeCode,
    AttributeTypeName: { Value: attributeKind(attribute).typeName },
    AutoNumberFormat: attribute.type === 'String' ? '' : null,
    CanBeSecuredForCreate: false,
    CanBeSecuredForRead: false,
    CanBeSecuredForUpdate: false,
    CanModifyAdditionalSettings: managedProperty(true, 'canmodifyadditionalsettings'),
    DeprecatedVersion: null,
    Description: label(attribute.description, ...ids, 'Description'),
    DisplayName: label(attribute.displayName, ...ids, 'DisplayName'),
    EntityLogicalName: table.logicalName,
    ExternalName: null,
    HasChanged: null,
    InheritsFrom: null,
    IntroducedVersion: '5.0.0.0',
    IsAuditEnabled: managedProperty(true, 'canmodifyauditsettings'),
    IsCustomAttribute: false,
    IsCustomizable: managedProperty(true, 'iscustomizable'),
    IsDataSourceSecret: false,
    IsFilterable: attributeOf === null,
    IsGlobalFilterEnabled: managedProperty(false, 'canmodifyglobalfiltersettings'),
    IsLogical: false,
    IsManaged: true,
    IsPrimaryId: attribute.logicalName === table.primaryIdAttribute,
    IsPrimaryName: attribute.logicalName === table.primaryNameAttribute,
    IsRenameable: managedProperty(true, 'isrenameable'),
    IsRequiredForForm: attribute.requiredLevel === 'SystemRequired',
    IsRetrievable: attribute.isValidForRead,
    IsSearchable: attributeOf === null,
    IsSecured: false,
    IsSortableEnabled: managedProperty(false, 'canmodifyissortablesettings'),
    IsValidForAdvancedFind: managedProperty(attributeOf === null, 'canmodifysearchsettings'),
    IsValidForCreate: attribute.isValidForCreate,
    IsValidForForm: validForForm,
    IsValidForGrid: attributeOf === null,
    IsValidForRead: attribute.isValidForRead,
    IsValidForUpdate: attribute.isValidForUpdate,
    IsValidODataAttribute: attributeOf === null,
    LinkedAttributeId: null,
    LogicalName: attribute.logicalName,
    MetadataId: attributeMetadataId(table.logicalName, attribute.logicalName),
    RequiredLevel: managedProperty(attribute.requiredLevel, 'canmodifyrequirementlevelsettings'),
    SchemaName: attribute.schemaName,
    Settings: [],
    SourceType: 0,
  };
}
