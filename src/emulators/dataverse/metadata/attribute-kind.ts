import type { AttributeDefinition, AttributeType } from './table-definition.js';

/**
 * How each column type of the published definitions surfaces in the Web API: the AttributeMetadata subtype
 * (the cast segment `Microsoft.Dynamics.CRM.<type>`), the `AttributeType` enum value, `AttributeTypeName.Value`
 * and, for `$metadata`, the Edm type of the property (MSDocs webapi/web-api-properties.md).
 */
export interface AttributeKind {
  readonly metadataType: AttributeMetadataType;
  /** AttributeTypeCode; Image, File and MultiSelectPicklist columns report `Virtual`. */
  readonly attributeTypeCode: string;
  readonly typeName: string;
  /** Undefined for columns that are not Web API properties (PartyList is a collection of activity parties). */
  readonly edmType: string | undefined;
}

export type AttributeMetadataType =
  | 'StringAttributeMetadata'
  | 'MemoAttributeMetadata'
  | 'LookupAttributeMetadata'
  | 'PicklistAttributeMetadata'
  | 'StateAttributeMetadata'
  | 'StatusAttributeMetadata'
  | 'BooleanAttributeMetadata'
  | 'DateTimeAttributeMetadata'
  | 'IntegerAttributeMetadata'
  | 'BigIntAttributeMetadata'
  | 'MoneyAttributeMetadata'
  | 'DecimalAttributeMetadata'
  | 'DoubleAttributeMetadata'
  | 'UniqueIdentifierAttributeMetadata'
  | 'EntityNameAttributeMetadata'
  | 'ImageAttributeMetadata'
  | 'FileAttributeMetadata'
  | 'MultiSelectPicklistAttributeMetadata';

const kind = (
  metadataType: AttributeMetadataType,
  attributeTypeCode: string,
  typeName: string,
  edmType: string | undefined,
): AttributeKind => ({ metadataType, attributeTypeCode, typeName, edmType });

const KINDS: Readonly<Record<AttributeType, AttributeKind>> = {
  String: kind('StringAttributeMetadata', 'String', 'StringType', 'Edm.String'),
  Memo: kind('MemoAttributeMetadata', 'Memo', 'MemoType', 'Edm.String'),
  Lookup: kind('LookupAttributeMetadata', 'Lookup', 'LookupType', 'Edm.Guid'),
  Customer: kind('LookupAttributeMetadata', 'Customer', 'CustomerType', 'Edm.Guid'),
  Owner: kind('LookupAttributeMetadata', 'Owner', 'OwnerType', 'Edm.Guid'),
  PartyList: kind('LookupAttributeMetadata', 'PartyList', 'PartyListType', undefined),
  Picklist: kind('PicklistAttributeMetadata', 'Picklist', 'PicklistType', 'Edm.Int32'),
  State: kind('StateAttributeMetadata', 'State', 'StateType', 'Edm.Int32'),
  Status: kind('StatusAttributeMetadata', 'Status', 'StatusType', 'Edm.Int32'),
  Boolean: kind('BooleanAttributeMetadata', 'Boolean', 'BooleanType', 'Edm.Boolean'),
  DateTime: kind('DateTimeAttributeMetadata', 'DateTime', 'DateTimeType', 'Edm.DateTimeOffset'),
  Integer: kind('IntegerAttributeMetadata', 'Integer', 'IntegerType', 'Edm.Int32'),
  BigInt: kind('BigIntAttributeMetadata', 'BigInt', 'BigIntType', 'Edm.Int64'),
  Money: kind('MoneyAttributeMetadata', 'Money', 'MoneyType', 'Edm.Decimal'),
  Decimal: kind('DecimalAttributeMetadata', 'Decimal', 'DecimalType', 'Edm.Decimal'),
  Double: kind('DoubleAttributeMetadata', 'Double', 'DoubleType', 'Edm.Double'),
  Uniqueidentifier: kind(
    'UniqueIdentifierAttributeMetadata',
    'Uniqueidentifier',
    'UniqueidentifierType',
    'Edm.Guid',
  ),
  EntityName: kind('EntityNameAttributeMetadata', 'EntityName', 'EntityNameType', 'Edm.String'),
  Image: kind('ImageAttributeMetadata', 'Virtual', 'ImageType', 'Edm.Binary'),
  // webapi/reference/activitypointer: `descriptionblobid Edm.Binary` (the file column), plus `<name>_name`.
  File: kind('FileAttributeMetadata', 'Virtual', 'FileType', 'Edm.Binary'),
  // Multi-select choices travel as a comma-separated string of values (MSDocs multi-select-picklist.md).
  MultiSelectPicklist: kind(
    'MultiSelectPicklistAttributeMetadata',
    'Virtual',
    'MultiSelectPicklistType',
    'Edm.String',
  ),
};

export function attributeKind(attribute: AttributeDefinition): AttributeKind {
  return KINDS[attribute.type];
}

/**
 * The Edm type of a column's Web API property. Date-only *behaviour* columns are `Edm.Date`; a date-only
 * *format* with user-local behaviour is still a DateTimeOffset (MSDocs behavior-format-date-time-attribute.md).
 */
export function edmTypeOf(attribute: AttributeDefinition): string | undefined {
  if (attribute.type === 'DateTime' && attribute.dateTimeBehavior === 'DateOnly') return 'Edm.Date';
  return KINDS[attribute.type].edmType;
}

export const ATTRIBUTE_METADATA_TYPES: ReadonlySet<string> = new Set(
  Object.values(KINDS).map((k) => k.metadataType),
);

/** Columns whose metadata carries an option set (EnumAttributeMetadata and BooleanAttributeMetadata). */
export function hasOptionSet(attribute: AttributeDefinition): boolean {
  return ['Picklist', 'State', 'Status', 'Boolean', 'EntityName', 'MultiSelectPicklist'].includes(
    attribute.type,
  );
}
