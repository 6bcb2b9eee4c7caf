import { dataverseErrors } from '../errors.js';
import type { DataverseEnvironment } from '../environment.js';
import { webApiProperties, type AttributeDefinition, type TableModel } from '../metadata/index.js';
import { isLookupValue, type StoredRecord } from '../persistence/record-store.js';
import { CHOICE_TYPES, LOOKUP_TYPES } from './attribute-values.js';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';

/** A property as the Web API shows it: a column, or a lookup's `_x_value`. */
export interface ReadableProperty {
  readonly name: string;
  readonly attribute: AttributeDefinition;
  readonly isLookup: boolean;
}

/** Binary columns come back only through their own endpoints (`…/entityimage/$value`), not in row bodies. */
const NOT_SERIALISED = new Set(['Image', 'File']);
const propertyCache = new WeakMap<TableModel, Map<string, ReadableProperty>>();

/** Every property a GET returns when no `$select` is given, in metadata order. */
export function readableProperties(table: TableModel): Map<string, ReadableProperty> {
  let cached = propertyCache.get(table);
  if (cached) return cached;
  cached = new Map();
  // The same properties $metadata declares, so what a GET returns and what the CSDL says agree.
  for (const { name, attribute } of webApiProperties(table)) {
    if (!attribute.isValidForRead || NOT_SERIALISED.has(attribute.type)) continue;
    cached.set(name, { name, attribute, isLookup: LOOKUP_TYPES.has(attribute.type) });
  }
  propertyCache.set(table, cached);
  return cached;
}

/** Resolves `$select` names, refusing unknown ones with Dataverse's message. */
export function selectProperties(
  table: TableModel,
  select: readonly string[] | undefined,
): ReadableProperty[] {
  const all = readableProperties(table);
  if (!select) return [...all.values()];
  const chosen = new Map<string, ReadableProperty>();
  const primary = all.get(table.primaryIdAttribute);
  if (primary) chosen.set(primary.name, primary);
  for (const name of select) {
    const property = all.get(name);
    if (!property) throw dataverseErrors.unknownQueryProperty(table.logicalName, name);
    chosen.set(name, property);
  }
  return [...chosen.values()];
}

export interface AnnotationChoice {
  readonly formatted: boolean;
  readonly lookups: boolean;
}

export const etagOf = (record: StoredRecord) => `W/"${String(record['versionnumber'] ?? 0)}"`;

/** Turns a stored row into its JSON form: etag, selected properties, lookups and requested annotations. */
export function serializeRecord(
  env: DataverseEnvironment,
  table: TableModel,
  record: StoredRecord,
  properties: readonly ReadableProperty[],
  annotations: AnnotationChoice,
): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etagOf(record) };
  for (const property of properties) {
    const value = record[property.attribute.logicalName];
    if (property.isLookup) {
      const lookup = isLookupValue(value) ? value : undefined;
      if (lookup && annotations.formatted)
        out[`${property.name}@${FORMATTED}`] = lookupName(env, lookup.entity, lookup.id);
      if (lookup && annotations.lookups) {
        out[`${property.name}@${NAVIGATION}`] = navigationFor(
          table,
          property.attribute.logicalName,
          lookup.entity,
        );
        out[`${property.name}@${LOOKUP_NAME}`] = lookup.entity;
      }
      out[property.name] = lookup ? lookup.id : null;
      continue;
    }
    if (annotations.formatted && value !== null && value !== undefined) {
      const formatted = formatValue(property.attribute, value);
      if (formatted !== undefined) out[`${property.name}@${FORMATTED}`] = formatted;
    }
    out[property.name] = value ?? null;
  }
  return out;
}

function lookupName(env: DataverseEnvironment, entity: string, id: string): string | null {
  const target = env.catalog.table(entity);
  const row = target ? env.store.get(entity, id) : undefined;
  const name = target && row ? row[target.primaryNameAttribute] : undefined;
  return typeof name === 'string' ? name : null;
}

function navigationFor(table: TableModel, attribute: string, entity: string): string {
  for (const nav of table.singleNavigations.values())
    if (nav.attribute.logicalName === attribute && nav.targets.includes(entity)) return nav.name;
  return attribute;
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });
const dateTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** The FormattedValue annotation as an en-US user with UTC time zone would see it. */
export function formatValue(attribute: AttributeDefinition, value: unknown): string | undefined {
  if (CHOICE_TYPES.has(attribute.type) || attribute.type === 'Boolean') {
    const option = attribute.options?.find(
      (o) => o.value === (value === true ? 1 : value === false ? 0 : value),
    );
    if (option) return option.label;
    return attribute.type === 'Boolean' ? (value ? 'Yes' : 'No') : undefined;
  }
  if (typeof value === 'number') {
    if (attribute.type === 'Money') return money.format(value);
    if (['Integer', 'BigInt', 'Decimal', 'Double'].includes(attribute.type)) return decimal.format(value);
  }
  if (attribute.type === 'DateTime' && typeof value === 'string') {
    const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    return (attribute.format === 'DateOnly' ? dateOnly : dateTime)
      .format(date)
      .replace(',', '')
      .replace(/\u202f/g, ' ');
  }
  return undefined;
}
