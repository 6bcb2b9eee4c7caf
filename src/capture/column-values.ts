import type { ColumnMetadata } from '../domain/index.js';
import { characterCount, formatCount, quoteValue } from './value-text.js';

/**
 * Turning a (transformed) source value into what a Dataverse column of a given AttributeType accepts:
 * text within MaxLength, whole numbers, decimals, booleans, ISO dates, and choice options resolved by
 * label or value. Problems are sentences without the column name; the caller adds column and origin.
 */
export type ColumnValue = string | number | boolean;

export type Coercion =
  { readonly ok: true; readonly value: ColumnValue } | { readonly ok: false; readonly problem: string };

export const TEXT_TYPES: ReadonlySet<string> = new Set(['String', 'Memo']);
export const CHOICE_TYPES: ReadonlySet<string> = new Set(['Picklist', 'State', 'Status']);
const WHOLE_NUMBER_TYPES: ReadonlySet<string> = new Set(['Integer', 'BigInt']);
const DECIMAL_TYPES: ReadonlySet<string> = new Set(['Decimal', 'Double', 'Money']);
const MAPPABLE_TYPES: ReadonlySet<string> = new Set([
  ...TEXT_TYPES,
  ...CHOICE_TYPES,
  ...WHOLE_NUMBER_TYPES,
  ...DECIMAL_TYPES,
  'Boolean',
  'DateTime',
]);

/** Lookups, owners, ids, images, multi-select choices…: a field-to-column mapping cannot fill them. */
export const isMappableType = (type: string): boolean => MAPPABLE_TYPES.has(type);

// Dataverse's Integer column range (IntegerAttributeMetadata MinValue/MaxValue defaults).
const INTEGER_MIN = -2_147_483_648;
const INTEGER_MAX = 2_147_483_647;

export function coerceToColumn(
  value: ColumnValue,
  column: ColumnMetadata,
  choiceBy: 'label' | 'value',
): Coercion {
  const { type } = column;
  if (TEXT_TYPES.has(type)) return toText(value, column.maxLength);
  if (CHOICE_TYPES.has(type)) return toChoice(value, column, choiceBy);
  if (WHOLE_NUMBER_TYPES.has(type)) return toWholeNumber(value, type === 'Integer');
  if (DECIMAL_TYPES.has(type)) return toDecimal(value);
  if (type === 'Boolean') {
    const flag = parseYesNo(value);
    return flag === undefined
      ? { ok: false, problem: `${quoteValue(value)} is not yes or no (use true/false, yes/no or 1/0)` }
      : { ok: true, value: flag };
  }
  if (type === 'DateTime') return toDate(value);
  return { ok: false, problem: `is a ${type} column, which a field mapping cannot fill` };
}

function toText(value: ColumnValue, maxLength: number | undefined): Coercion {
  const text = String(value);
  const length = characterCount(text);
  if (maxLength !== undefined && length > maxLength)
    return {
      ok: false,
      problem: `${quoteValue(text)} is ${formatCount(length)} characters; the CRM allows ${formatCount(maxLength)}`,
    };
  return { ok: true, value: text };
}

function toWholeNumber(value: ColumnValue, int32: boolean): Coercion {
  const n = typeof value === 'number' ? value : /^[+-]?\d+$/.test(String(value).trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) return { ok: false, problem: `${quoteValue(value)} is not a whole number` };
  if (int32 && (n < INTEGER_MIN || n > INTEGER_MAX))
    return {
      ok: false,
      problem: `${quoteValue(value)} is outside the range the CRM allows (${formatCount(INTEGER_MIN)} to ${formatCount(INTEGER_MAX)})`,
    };
  if (!Number.isSafeInteger(n)) return { ok: false, problem: `${quoteValue(value)} is too large` };
  return { ok: true, value: n };
}

/** "1234.5", "1,234.5" (thousands separators) and "1234,5" (decimal comma) are all 1234.5. */
export function parseDecimal(value: ColumnValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  const text = value.trim().replace(/\s/g, '');
  let normalised: string | undefined;
  if (/^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(text)) normalised = text;
  else if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) normalised = text.replace(/,/g, '');
  else if (/^[+-]?\d+,\d+$/.test(text)) normalised = text.replace(',', '.');
  if (normalised === undefined) return undefined;
  const n = Number(normalised);
  return Number.isFinite(n) ? n : undefined;
}

function toDecimal(value: ColumnValue): Coercion {
  const n = parseDecimal(value);
  return n === undefined
    ? { ok: false, problem: `${quoteValue(value)} is not a number` }
    : { ok: true, value: n };
}

const YES = new Set(['true', 'yes', 'y', '1', 'on', 'ja', 'x']);
const NO = new Set(['false', 'no', 'n', '0', 'off', 'nein']);

/** Booleans as forms and spreadsheets write them (English and German), or undefined. */
export function parseYesNo(value: ColumnValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  const text = value.trim().toLowerCase();
  return YES.has(text) ? true : NO.has(text) ? false : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

// Only ISO 8601: "03/04/2024" means different days in the US and in Germany, so it is refused.
function toDate(value: ColumnValue): Coercion {
  const text = String(value).trim();
  if (!ISO_DATE.test(text) || Number.isNaN(Date.parse(text.replace(' ', 'T'))))
    return {
      ok: false,
      problem: `${quoteValue(value)} is not a date (use ISO 8601, e.g. 2024-05-31 or 2024-05-31T14:00:00Z)`,
    };
  return { ok: true, value: text.replace(' ', 'T') };
}

function toChoice(value: ColumnValue, column: ColumnMetadata, choiceBy: 'label' | 'value'): Coercion {
  const options = column.options;
  const name = column.displayName ?? column.logicalName;
  if (choiceBy === 'value') {
    const n =
      typeof value === 'number' ? value : /^[+-]?\d+$/.test(String(value).trim()) ? Number(value) : NaN;
    if (!Number.isInteger(n))
      return { ok: false, problem: `${quoteValue(value)} is not an option value (a whole number)` };
    if (options === undefined || options.some((option) => option.value === n)) return { ok: true, value: n };
    const valid = options.map((option) => `${option.value} (${option.label})`).join(', ');
    return { ok: false, problem: `${n} is not an option value of ${name}; valid values: ${valid}` };
  }
  const wanted = String(value).trim().toLowerCase();
  const match = options?.find((option) => option.label.trim().toLowerCase() === wanted);
  if (match !== undefined) return { ok: true, value: match.value };
  const labels = (options ?? []).map((option) => option.label).join(', ');
  return {
    ok: false,
    problem:
      options === undefined || options.length === 0
        ? `${quoteValue(value)} cannot be matched: the CRM lists no options for ${name}`
        : `${quoteValue(value)} is not an option of ${name}; valid labels: ${labels}`,
  };
}
