import type {
  ColumnMapping,
  FieldMapping,
  LeadPayload,
  MappingTransform,
  SourceField,
  TableMetadata,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { CHOICE_TYPES, isMappableType, TEXT_TYPES } from './column-values.js';
import { applyMapping, mapColumn, originOf, type MappingResult } from './field-mapping.js';
import { isPhoneCountry } from './mapping-transforms.js';
import { columnName, requiredColumnsForCreate } from './required-columns.js';

/**
 * The checks run when an admin saves a mapping, against the CRM's live metadata, so that problems
 * show up in the editor rather than as failed leads later. Each problem names the column.
 */
export interface MappingProblem {
  readonly column: string;
  readonly message: string;
}

export function validateMapping(
  mapping: FieldMapping,
  metadata: TableMetadata,
  sourceFields?: readonly SourceField[],
): readonly MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (mapping.table !== metadata.logicalName)
    problems.push({
      column: '',
      message: `the mapping is for the ${mapping.table} table but the metadata describes ${metadata.logicalName}`,
    });
  const counts = new Map<string, number>();
  for (const rule of mapping.columns) counts.set(rule.column, (counts.get(rule.column) ?? 0) + 1);
  for (const [column, count] of counts)
    if (count > 1)
      problems.push({ column, message: `${column}: is mapped ${count} times; keep one rule per column` });

  const fieldNames = sourceFields?.map((field) => field.name);
  for (const rule of mapping.columns) problems.push(...checkRule(rule, metadata, fieldNames));

  for (const column of requiredColumnsForCreate(metadata))
    if (!counts.has(column.logicalName))
      problems.push({
        column: column.logicalName,
        message: `${column.logicalName}: the CRM requires ${columnName(column)}; map a field or a constant to it`,
      });
  return problems;
}

function checkRule(
  rule: ColumnMapping,
  metadata: TableMetadata,
  fieldNames: readonly string[] | undefined,
): MappingProblem[] {
  const problem = (text: string): MappingProblem => ({
    column: rule.column,
    message: `${rule.column}: ${text}${originOf(rule)}`,
  });
  const column = metadata.columns.get(rule.column);
  if (column === undefined) return [problem(`the ${metadata.logicalName} table has no such column`)];
  if (column.validForCreate === false)
    return [problem(`${columnName(column)} cannot be set when a record is created`)];
  if (!isMappableType(column.type))
    return [problem(`${columnName(column)} is a ${column.type} column, which a field mapping cannot fill`)];

  const problems: MappingProblem[] = [];
  if (rule.value.kind === 'field' && fieldNames !== undefined && !fieldNames.includes(rule.value.field))
    problems.push(
      problem(
        `the source has no field "${rule.value.field}" (its fields: ${fieldNames.join(', ') || 'none'})`,
      ),
    );
  for (const transform of rule.transforms ?? []) {
    const misfit = transformMisfit(transform, column.type);
    if (misfit !== undefined) problems.push(problem(misfit));
  }
  if (rule.choiceBy !== undefined && !CHOICE_TYPES.has(column.type))
    problems.push(
      problem(`choiceBy only applies to choice columns, and ${columnName(column)} is ${column.type}`),
    );
  // A constant is checked by mapping it: whatever would fail for every lead fails now.
  if (rule.value.kind === 'constant' && problems.length === 0) {
    const outcome = mapColumn(rule, {}, metadata);
    if (outcome.kind === 'error') problems.push({ column: rule.column, message: outcome.error.message });
    if (outcome.kind === 'empty') problems.push(problem('the constant is empty'));
  }
  return problems;
}

function transformMisfit(transform: MappingTransform, type: string): string | undefined {
  const textOnly = (what: string): string | undefined =>
    TEXT_TYPES.has(type) ? undefined : `${what} produces text, but the column is ${type}`;
  switch (transform.kind) {
    case 'trim':
      return undefined;
    case 'case':
      return TEXT_TYPES.has(type) || CHOICE_TYPES.has(type)
        ? undefined
        : `changing case only fits text and choice columns, and the column is ${type}`;
    case 'split_full_name':
      return textOnly('splitting a full name');
    case 'country':
      return textOnly('the country transform');
    case 'phone_e164':
      if (transform.defaultCountry !== undefined && !isPhoneCountry(transform.defaultCountry))
        return `the phone transform's default country "${transform.defaultCountry}" is not an ISO 3166 code`;
      return textOnly('the phone transform');
  }
}

/** What the mapping makes of each sample lead, in order: the editor's preview. */
export function previewMapping(
  mapping: FieldMapping,
  metadata: TableMetadata,
  samples: readonly LeadPayload[],
): readonly MappingResult[] {
  return samples.map((sample) => applyMapping(mapping, sample, metadata));
}

/** The `mapping_invalid` error for a refused save, listing every problem. */
export function mappingInvalidError(problems: readonly MappingProblem[]): LeadbridgeError {
  return new LeadbridgeError('mapping_invalid', problems.map((problem) => problem.message).join('; '));
}
