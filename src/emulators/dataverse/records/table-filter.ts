import { dataverseErrors } from '../errors.js';
import type { DataverseEnvironment, OperationContext } from '../environment.js';
import type { TableModel } from '../metadata/table-catalog.js';
import type { AttributeDefinition } from '../metadata/table-definition.js';
import { isLookupValue, type StoredRecord } from '../persistence/record-store.js';
import {
  compileFilter,
  FilterError,
  parseFilter,
  type FilterRow,
  type FilterSchema,
  type FilterValueType,
} from '../protocol/odata-filter/index.js';
import { readableProperties } from './record-serializer.js';

function valueType(attribute: AttributeDefinition): FilterValueType {
  switch (attribute.type) {
    case 'Integer':
    case 'BigInt':
    case 'Money':
    case 'Decimal':
    case 'Double':
      return 'number';
    case 'Picklist':
    case 'State':
    case 'Status':
      return 'choice';
    case 'MultiSelectPicklist':
      return 'multichoice';
    case 'Boolean':
      return 'boolean';
    case 'DateTime':
      return 'datetime';
    case 'Uniqueidentifier':
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return 'guid';
    default:
      return 'string';
  }
}

const schemaCache = new WeakMap<DataverseEnvironment, Map<string, FilterSchema>>();

/** The filter compiler's view of a table: its properties, lookups and navigation properties. */
export function filterSchemaFor(env: DataverseEnvironment, table: TableModel): FilterSchema {
  let byTable = schemaCache.get(env);
  if (!byTable) {
    byTable = new Map();
    schemaCache.set(env, byTable);
  }
  const cached = byTable.get(table.logicalName);
  if (cached) return cached;
  const properties = readableProperties(table);
  const schema: FilterSchema = {
    entityName: table.logicalName,
    property(name) {
      const property = properties.get(name);
      if (!property) return undefined;
      const column = property.attribute.logicalName;
      if (property.isLookup)
        return {
          type: 'guid',
          get: (row: FilterRow) => {
            const v = row[column];
            return isLookupValue(v) ? v.id : null;
          },
        };
      return { type: valueType(property.attribute), get: (row: FilterRow) => row[column] };
    },
    singleNavigation(name) {
      const nav = table.singleNavigations.get(name);
      const target = nav?.targets.length === 1 ? env.catalog.table(nav.targets[0] ?? '') : undefined;
      if (!nav || !target) return undefined;
      const column = nav.attribute.logicalName;
      return {
        schema: filterSchemaFor(env, target),
        get: (row: FilterRow) => {
          const v = row[column];
          return isLookupValue(v) && v.entity === target.logicalName
            ? env.store.get(v.entity, v.id)
            : undefined;
        },
      };
    },
    collectionNavigation(name) {
      const nav = table.collectionNavigations.get(name);
      const child = nav ? env.catalog.table(nav.referencingTable) : undefined;
      if (!nav || !child) return undefined;
      const id = table.primaryIdAttribute;
      return {
        schema: filterSchemaFor(env, child),
        get: (row: FilterRow) => {
          const parent = row[id];
          const rows: StoredRecord[] = [];
          for (const c of env.store.rows(child.logicalName)) {
            const ref = c[nav.referencingAttribute];
            if (isLookupValue(ref) && ref.id === parent) rows.push(c);
          }
          return rows;
        },
      };
    },
  };
  byTable.set(table.logicalName, schema);
  return schema;
}

/** Compiles `$filter` text for a table into a row predicate, with Dataverse's errors for bad input. */
export function compileTableFilter(
  ctx: OperationContext,
  table: TableModel,
  text: string,
  aliases: ReadonlyMap<string, string>,
): (row: StoredRecord) => boolean {
  try {
    const predicate = compileFilter(parseFilter(text, aliases), filterSchemaFor(ctx.env, table));
    const context = {
      now: ctx.now,
      callerUserId: ctx.caller.systemUserId,
      callerBusinessUnitId: ctx.caller.businessUnitId,
    };
    return (row) => predicate(row, context);
  } catch (error) {
    if (error instanceof FilterError) throw dataverseErrors.invalidQuery(error.message);
    throw error;
  }
}
