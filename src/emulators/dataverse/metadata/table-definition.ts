/**
 * Shapes of Microsoft's published table definitions (metadata/dataverse-tables.json, CC BY 4.0), as the
 * reference data spells them. The catalog indexes these; nothing here is retyped by hand.
 */
export type AttributeType =
  | 'String'
  | 'Memo'
  | 'Lookup'
  | 'Customer'
  | 'Owner'
  | 'PartyList'
  | 'Picklist'
  | 'State'
  | 'Status'
  | 'Boolean'
  | 'DateTime'
  | 'Integer'
  | 'BigInt'
  | 'Money'
  | 'Decimal'
  | 'Double'
  | 'Uniqueidentifier'
  | 'EntityName'
  | 'Image'
  | 'File'
  | 'MultiSelectPicklist';

export interface OptionDefinition {
  readonly value: number;
  readonly label: string;
  /** Status options: the state they belong to. */
  readonly state?: number;
  /** State options: the status a row gets when it enters this state. */
  readonly defaultStatus?: number;
  readonly invariantName?: string;
}

export interface AttributeDefinition {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly type: AttributeType;
  readonly requiredLevel: 'None' | 'SystemRequired' | 'ApplicationRequired' | 'Recommended';
  readonly isValidForCreate: boolean;
  readonly isValidForUpdate: boolean;
  readonly isValidForRead: boolean;
  readonly maxLength?: number;
  readonly minValue?: number | string;
  readonly maxValue?: number | string;
  readonly precision?: number;
  readonly format?: string;
  readonly dateTimeBehavior?: string;
  readonly targets?: readonly string[];
  readonly options?: readonly OptionDefinition[];
  readonly globalChoiceName?: string;
  readonly defaultFormValue?: number;
  readonly defaultValue?: unknown;
}

export interface ManyToOneDefinition {
  readonly schemaName?: string;
  readonly referencedEntity: string;
  readonly referencedAttribute?: string;
  readonly referencingAttribute: string;
  readonly navigationProperty: string;
}

export interface OneToManyDefinition {
  readonly schemaName: string;
  readonly referencingEntity: string;
  readonly referencingAttribute: string;
  readonly navigationProperty: string;
}

export interface ManyToManyDefinition {
  readonly schemaName: string;
  readonly intersectEntity: string;
  readonly navigationProperty: string;
  readonly otherEntity: string;
}

export interface TableDefinition {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly displayName: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
  readonly ownershipType: string;
  readonly isActivity: boolean;
  readonly messages: readonly string[];
  readonly attributes: readonly AttributeDefinition[];
  readonly manyToOne: readonly ManyToOneDefinition[];
  readonly oneToMany: readonly OneToManyDefinition[];
  readonly manyToMany: readonly ManyToManyDefinition[];
}
