import { edmTypeOf } from './attribute-kind.js';
import type { TableModel } from './table-catalog.js';
import type { AttributeDefinition } from './table-definition.js';

/** One structural property of an entity type as `$metadata` declares it. */
export interface WebApiProperty {
  /** `_parentaccountid_value` for lookups, the logical name otherwise. */
  readonly name: string;
  readonly edmType: string;
  readonly attribute: AttributeDefinition;
}

const LOOKUP_TYPES = new Set(['Lookup', 'Customer', 'Owner']);

/**
 * The lookup a column merely describes (`AttributeOf` in its metadata): `parentaccountidname`,
 * `owneridyominame`, `owneridtype`, `objectidtypecode`, `regardingobjecttypecode`. Such columns are not Web API
 * properties; their values come back as `_x_value@OData.Community.Display.V1.FormattedValue` and
 * `@Microsoft.Dynamics.CRM.lookuplogicalname` annotations (MSDocs webapi/web-api-properties.md §Lookup properties).
 */
export function describedLookup(table: TableModel, attribute: AttributeDefinition): string | undefined {
  if (attribute.type !== 'String' && attribute.type !== 'EntityName') return undefined;
  for (const lookup of table.lookupProperties.values()) {
    const base = lookup.logicalName;
    const stem = base.endsWith('id') ? base.slice(0, -2) : base;
    const names =
      attribute.type === 'String'
        ? [`${base}name`, `${base}yominame`]
        : // owneridtype, objectidtypecode, regardingobjecttypecode (regardingobjectid), partyobjecttypecode (partyid).
          [`${base}type`, `${base}typecode`, `${stem}typecode`, `${stem}objecttypecode`];
    if (!names.includes(attribute.logicalName)) continue;
    // annotation.objecttypecode is a property of its own: the table the note is attached to.
    if (table.logicalName === 'annotation' && attribute.logicalName === 'objecttypecode') return undefined;
    return base;
  }
  return undefined;
}

/** The structural properties of a table's entity type, in the table's column order. */
export function webApiProperties(table: TableModel): WebApiProperty[] {
  const properties: WebApiProperty[] = [];
  for (const attribute of table.definition.attributes) {
    const edmType = edmTypeOf(attribute);
    if (edmType === undefined || describedLookup(table, attribute) !== undefined) continue;
    const name = LOOKUP_TYPES.has(attribute.type) ? `_${attribute.logicalName}_value` : attribute.logicalName;
    properties.push({ name, edmType, attribute });
  }
  return properties;
}
