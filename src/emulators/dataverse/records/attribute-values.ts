import { dataverseErrors } from '../errors.js';
import type { AttributeDefinition } from '../metadata/table-definition.js';
import { edmTypeOf, type TableModel } from '../metadata/index.js';
import { GUID_PATTERN } from '../protocol/resource-path.js';

export const LOOKUP_TYPES: ReadonlySet<string> = new Set(['Lookup', 'Customer', 'Owner']);
export const CHOICE_TYPES: ReadonlySet<string> = new Set(['Picklist', 'State', 'Status']);

const literal = (raw: unknown) => (typeof raw === 'string' ? raw : JSON.stringify(raw));

/**
 * Converts a JSON payload value into the stored form after checking it against the column's
 * definition: type, length, range and choice values, with Dataverse's own errors.
 */
export function readAttributeValue(table: TableModel, attribute: AttributeDefinition, raw: unknown): unknown {
  const set = table.entitySetName;
  const entity = table.logicalName;
  const invalid = () =>
    dataverseErrors.invalidPayloadValue(set, literal(raw), edmTypeOf(attribute) ?? 'Edm.String');
  if (raw === null) {
    if (attribute.requiredLevel === 'SystemRequired' && attribute.logicalName !== table.primaryIdAttribute)
      throw dataverseErrors.requiredAttribute(entity, attribute.logicalName);
    return null;
  }
  switch (attribute.type) {
    case 'String':
    case 'Memo':
    case 'EntityName': {
      if (typeof raw !== 'string') throw invalid();
      if (attribute.maxLength !== undefined && raw.length > attribute.maxLength)
        throw dataverseErrors.maxLengthExceeded(entity, attribute.logicalName, attribute.maxLength);
      return raw;
    }
    case 'Picklist':
    case 'State':
    case 'Status': {
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw invalid();
      const accepted = (attribute.options ?? []).map((o) => o.value);
      if (!accepted.includes(raw))
        throw dataverseErrors.picklistOutOfRange(entity, attribute.logicalName, raw, accepted);
      return raw;
    }
    case 'Boolean':
      if (typeof raw !== 'boolean') throw invalid();
      return raw;
    case 'Integer':
    case 'BigInt':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw invalid();
      return checkRange(entity, attribute, raw);
    case 'Money':
    case 'Decimal':
    case 'Double': {
      // OData allows decimals as JSON strings too (IEEE754Compatible); Dataverse accepts both.
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid();
      return checkRange(entity, attribute, value);
    }
    case 'DateTime':
      return readDateTime(attribute, raw, invalid);
    case 'Uniqueidentifier':
      if (typeof raw !== 'string' || !GUID_PATTERN.test(raw)) throw invalid();
      return raw.toLowerCase();
    default:
      throw dataverseErrors.notImplemented(`writing ${attribute.type} columns ('${attribute.logicalName}')`);
  }
}

function checkRange(entity: string, attribute: AttributeDefinition, value: number): number {
  const min = toNumber(attribute.minValue);
  const max = toNumber(attribute.maxValue);
  if ((min !== undefined && value < min) || (max !== undefined && value > max))
    throw dataverseErrors.valueOutOfRange(
      entity,
      attribute.logicalName,
      value,
      min ?? -Infinity,
      max ?? Infinity,
    );
  return value;
}

const toNumber = (v: number | string | undefined) => (v === undefined ? undefined : Number(v));

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function readDateTime(attribute: AttributeDefinition, raw: unknown, invalid: () => Error): string {
  if (typeof raw !== 'string' || !(DATE_ONLY.test(raw) || DATE_TIME.test(raw))) throw invalid();
  const date = new Date(DATE_ONLY.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(date.getTime()) || !isCalendarDate(raw.slice(0, 10))) throw invalid();
  // Dataverse stores date-times to the second, in UTC; date-only columns keep just the date.
  if (attribute.dateTimeBehavior === 'DateOnly') return date.toISOString().slice(0, 10);
  return toDataverseInstant(date);
}

/** `Date` rolls `2024-02-30` over to March 1st; OData refuses a day the month does not have. */
function isCalendarDate(text: string): boolean {
  const [year = NaN, month = NaN, day = NaN] = text.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function toDataverseInstant(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
