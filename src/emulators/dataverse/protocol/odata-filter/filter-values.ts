import type { ArrayItem, LiteralValue } from './filter-ast.js';
import { toEpochMs } from './filter-dates.js';
import { FilterError } from './filter-error.js';
import { parseDateText } from './filter-lexer.js';
import type { FilterValueType } from './filter-schema.js';

/**
 * Conversions shared by comparisons and query functions. Each column type has one "comparable" form
 * (lower-cased strings, numbers, epoch milliseconds, booleans) so that equality and ordering are plain
 * `===` / `<` once both sides are converted; literals are converted once at compile time.
 */

export type Comparable = string | number | boolean;

/** The OData type names Dataverse reports in type errors. */
export function edmTypeOfColumn(type: FilterValueType): string {
  switch (type) {
    case 'string':
    case 'multichoice':
      return 'Edm.String';
    case 'number':
      return 'Edm.Decimal';
    case 'choice':
      return 'Edm.Int32';
    case 'boolean':
      return 'Edm.Boolean';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'guid':
      return 'Edm.Guid';
  }
}

export function edmTypeOfLiteral(literal: LiteralValue): string {
  switch (literal.type) {
    case 'string':
      return 'Edm.String';
    case 'number':
      return literal.edmType;
    case 'boolean':
      return 'Edm.Boolean';
    case 'null':
      return 'null';
    case 'guid':
      return 'Edm.Guid';
    case 'date':
      return 'Edm.Date';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'array':
      return 'Collection(Edm.String)';
  }
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The comparable form of a row value, or undefined when the column is empty or holds something unusable. */
export function rowComparer(type: FilterValueType): (value: unknown) => Comparable | undefined {
  switch (type) {
    case 'string':
    case 'guid':
      return (value) => (typeof value === 'string' ? value.toLowerCase() : undefined);
    case 'number':
    case 'choice':
      return (value) => (typeof value === 'number' && !Number.isNaN(value) ? value : undefined);
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? value : undefined);
    case 'datetime':
      return (value) => {
        const ms = toEpochMs(value);
        return Number.isNaN(ms) ? undefined : ms;
      };
    case 'multichoice':
      return () => undefined;
  }
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

/**
 * Converts a comparison literal to the comparable form of a column, or returns undefined when the
 * literal's type cannot be compared with the column (the caller reports the OData type error).
 */
export function literalComparable(type: FilterValueType, literal: LiteralValue): Comparable | undefined {
  switch (type) {
    case 'string':
      return literal.type === 'string' ? literal.value.toLowerCase() : undefined;
    case 'number':
    case 'choice':
      return literal.type === 'number' ? literal.value : undefined;
    case 'boolean':
      return literal.type === 'boolean' ? literal.value : undefined;
    case 'datetime':
      // A date-only literal compares with datetime columns as midnight UTC of that day.
      return literal.type === 'datetime' || literal.type === 'date' ? literal.epochMs : undefined;
    case 'guid':
      // Dataverse also accepts a quoted GUID for lookup values (filter-rows.md uses
      // `_owninguser_value eq '<systemuserid value>'`).
      if (literal.type === 'guid') return literal.value;
      return literal.type === 'string' && GUID_PATTERN.test(literal.value)
        ? literal.value.toLowerCase()
        : undefined;
    case 'multichoice':
      return undefined;
  }
}

/**
 * Converts an element of a `PropertyValues=[...]` array. The documented form passes every value as a
 * string (`["5","2000"]`, filter-rows.md), so strings are read according to the column's type.
 */
export function arrayItemComparable(
  type: FilterValueType,
  item: ArrayItem,
  describe: () => string,
): Comparable {
  const invalid = (): FilterError =>
    new FilterError(
      `The value '${String(item)}' is not valid for ${describe()} of type '${edmTypeOfColumn(type)}'.`,
    );
  if (item === null) throw invalid();
  switch (type) {
    case 'string':
      return String(item).toLowerCase();
    case 'number':
    case 'choice':
    case 'multichoice': {
      const number =
        typeof item === 'number' ? item : typeof item === 'string' && item.trim() !== '' ? Number(item) : NaN;
      if (!Number.isFinite(number)) throw invalid();
      return number;
    }
    case 'boolean':
      if (typeof item === 'boolean') return item;
      if (item === 'true' || item === '1' || item === 1) return true;
      if (item === 'false' || item === '0' || item === 0) return false;
      throw invalid();
    case 'datetime': {
      const ms = typeof item === 'string' ? parseDateText(item) : NaN;
      if (Number.isNaN(ms)) throw invalid();
      return ms;
    }
    case 'guid':
      if (typeof item !== 'string' || !GUID_PATTERN.test(item)) throw invalid();
      return item.toLowerCase();
  }
}
