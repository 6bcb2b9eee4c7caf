import type { ColumnMapping, FieldMapping, LeadPayload, TableMetadata } from '../domain/index.js';
import { coerceToColumn, type ColumnValue } from './column-values.js';
import { applyTransforms } from './mapping-transforms.js';
import { columnName, requiredColumnsForCreate } from './required-columns.js';
import { isBlank } from './value-text.js';

/**
 * Applying a source's field mapping to one lead payload: the CRM record to create, or every problem
 * found, each a sentence naming the column and where its value came from, for example
 * `lastname: "Smith…" is 180 characters; the CRM allows 50 (from field "surname")`.
 */
export interface MappingError {
  readonly column: string;
  /** The source field the value came from; absent for constants and unmapped required columns. */
  readonly field?: string;
  readonly message: string;
}

export type MappingResult =
  | { readonly ok: true; readonly record: Record<string, unknown> }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

/** One column's outcome: a value, nothing (the source gave no value), or an error. */
export type ColumnOutcome =
  | { readonly kind: 'value'; readonly value: ColumnValue }
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly error: MappingError };

export function applyMapping(
  mapping: FieldMapping,
  payload: LeadPayload,
  metadata?: TableMetadata,
): MappingResult {
  const record: Record<string, unknown> = {};
  const errors: MappingError[] = [];
  const emptied = new Map<string, ColumnMapping>();
  const seen = new Set<string>();
  for (const rule of mapping.columns) {
    if (seen.has(rule.column)) {
      errors.push(errorFor(rule, 'is mapped more than once; keep one rule per column'));
      continue;
    }
    seen.add(rule.column);
    const outcome = mapColumn(rule, payload, metadata);
    if (outcome.kind === 'value') record[rule.column] = outcome.value;
    else if (outcome.kind === 'error') errors.push(outcome.error);
    else emptied.set(rule.column, rule);
  }
  if (metadata !== undefined)
    for (const column of requiredColumnsForCreate(metadata)) {
      if (column.logicalName in record || errors.some((e) => e.column === column.logicalName)) continue;
      const rule = emptied.get(column.logicalName);
      errors.push(
        rule === undefined
          ? {
              column: column.logicalName,
              message: `${column.logicalName}: the CRM requires ${columnName(column)} and the mapping does not fill it`,
            }
          : errorFor(rule, `the CRM requires ${columnName(column)} but the lead has no value for it`),
      );
    }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, record };
}

/**
 * One rule on one payload. Blank source values (missing, null, empty or only spaces, also after
 * transforms) give `empty`: the column is left out of the record rather than sent as null, so a
 * partial lead never erases what the CRM already holds.
 */
export function mapColumn(
  rule: ColumnMapping,
  payload: LeadPayload,
  metadata?: TableMetadata,
): ColumnOutcome {
  const column = metadata?.columns.get(rule.column);
  if (metadata !== undefined) {
    if (column === undefined)
      return { kind: 'error', error: errorFor(rule, `the ${metadata.logicalName} table has no such column`) };
    if (column.validForCreate === false)
      return {
        kind: 'error',
        error: errorFor(rule, `${columnName(column)} cannot be set when a record is created`),
      };
  }
  const raw = rule.value.kind === 'field' ? payload[rule.value.field] : rule.value.value;
  if (raw === undefined || raw === null || isBlank(raw)) return { kind: 'empty' };

  let value: ColumnValue = raw;
  const transforms = rule.transforms ?? [];
  if (transforms.length > 0) {
    const outcome = applyTransforms(String(raw), transforms);
    if (!outcome.ok) return { kind: 'error', error: errorFor(rule, outcome.problem) };
    if (outcome.value.trim() === '') return { kind: 'empty' };
    value = outcome.value;
  }

  if (column !== undefined) {
    const choiceBy = rule.choiceBy ?? 'label';
    const coerced = coerceToColumn(value, column, choiceBy);
    return coerced.ok
      ? { kind: 'value', value: coerced.value }
      : { kind: 'error', error: errorFor(rule, coerced.problem) };
  }
  // Without metadata the column's type is unknown; only an explicit choice mode can be honoured.
  if (rule.choiceBy === 'value') {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(n))
      return {
        kind: 'error',
        error: errorFor(rule, `${JSON.stringify(String(value))} is not an option value`),
      };
    return { kind: 'value', value: n };
  }
  if (rule.choiceBy === 'label')
    return { kind: 'error', error: errorFor(rule, 'labels can only be matched with the CRM metadata') };
  return { kind: 'value', value };
}

/** Where a rule's value comes from, as the tail of a sentence. */
export const originOf = (rule: ColumnMapping): string =>
  rule.value.kind === 'field' ? ` (from field "${rule.value.field}")` : ' (from the constant value)';

function errorFor(rule: ColumnMapping, problem: string): MappingError {
  const message = `${rule.column}: ${problem}${originOf(rule)}`;
  return rule.value.kind === 'field'
    ? { column: rule.column, field: rule.value.field, message }
    : { column: rule.column, message };
}
