import type { CrmColumns, MappingPreview, Source } from '@contracts';

/** The mapping editor's working copy of one table's field mapping, and how it becomes the API's again. */
export type FieldMapping = NonNullable<Source['mappings']['lead']>;
export type ColumnMapping = FieldMapping['columns'][number];
export type MappingTransform = NonNullable<ColumnMapping['transforms']>[number];
export type CrmColumn = CrmColumns['columns'][number];
export type MappingProblem = MappingPreview['problems'][number];

export interface MappingRowDraft {
  readonly key: number;
  readonly column: string | null;
  readonly valueKind: 'field' | 'constant';
  readonly field: string | null;
  /** Typed as text; the server turns it into the column's type (numbers, yes/no, choices). */
  readonly constant: string;
  readonly transforms: readonly MappingTransform[];
  readonly choiceBy: 'label' | 'value';
}

// Mirrors src/capture/column-values.ts: the AttributeTypes a field mapping can fill.
export const CHOICE_TYPES: ReadonlySet<string> = new Set(['Picklist', 'State', 'Status']);
const MAPPABLE_TYPES: ReadonlySet<string> = new Set([
  'String',
  'Memo',
  ...CHOICE_TYPES,
  'Integer',
  'BigInt',
  'Decimal',
  'Double',
  'Money',
  'Boolean',
  'DateTime',
]);

export const isMappable = (column: CrmColumn): boolean => MAPPABLE_TYPES.has(column.type);
export const isRequired = (column: CrmColumn): boolean =>
  column.requiredLevel === 'ApplicationRequired' || column.requiredLevel === 'SystemRequired';
export const isChoice = (column: CrmColumn | undefined): boolean =>
  column !== undefined && CHOICE_TYPES.has(column.type);

let nextKey = 1;

export function emptyRow(column: string | null = null): MappingRowDraft {
  return {
    key: nextKey++,
    column,
    valueKind: 'field',
    field: null,
    constant: '',
    transforms: [],
    choiceBy: 'label',
  };
}

export function draftsOf(mapping: FieldMapping | undefined): MappingRowDraft[] {
  return (mapping?.columns ?? []).map((rule) => ({
    ...emptyRow(rule.column),
    valueKind: rule.value.kind,
    field: rule.value.kind === 'field' ? rule.value.field : null,
    constant: rule.value.kind === 'constant' ? String(rule.value.value) : '',
    transforms: rule.transforms ?? [],
    choiceBy: rule.choiceBy ?? 'label',
  }));
}

/** What the browser can tell before asking the server: a row needs a column and a value. */
export function rowProblem(row: MappingRowDraft): string | undefined {
  if (row.column === null) return 'Choose a CRM column, or remove the row.';
  if (row.valueKind === 'field' && row.field === null)
    return 'Choose the source field this column is filled from.';
  return undefined;
}

export function mappingOf(
  table: FieldMapping['table'],
  rows: readonly MappingRowDraft[],
  columns: readonly CrmColumn[],
): FieldMapping {
  const byName = new Map(columns.map((column) => [column.logicalName, column]));
  return {
    table,
    columns: rows
      .filter((row) => rowProblem(row) === undefined)
      .map((row): ColumnMapping => {
        const column = row.column ?? '';
        return {
          column,
          value:
            row.valueKind === 'field'
              ? { kind: 'field', field: row.field ?? '' }
              : { kind: 'constant', value: row.constant },
          ...(row.transforms.length > 0 && { transforms: [...row.transforms] }),
          // Only where it means something: the server refuses choiceBy on other column types.
          ...(isChoice(byName.get(column)) && { choiceBy: row.choiceBy }),
        };
      }),
  };
}

/** Problems by the column they name; those naming no mapped column are returned apart. */
export function problemsByColumn(
  problems: readonly MappingProblem[],
  rows: readonly MappingRowDraft[],
): { readonly byColumn: ReadonlyMap<string, string[]>; readonly unplaced: readonly MappingProblem[] } {
  const mapped = new Set(rows.map((row) => row.column));
  const byColumn = new Map<string, string[]>();
  const unplaced: MappingProblem[] = [];
  for (const problem of problems) {
    if (!problem.column || !mapped.has(problem.column)) {
      unplaced.push(problem);
      continue;
    }
    // The server's sentences start with the column name, which the row already shows.
    const message = problem.message.startsWith(`${problem.column}: `)
      ? problem.message.slice(problem.column.length + 2)
      : problem.message;
    byColumn.set(problem.column, [...(byColumn.get(problem.column) ?? []), message]);
  }
  return { byColumn, unplaced };
}

export function describeTransform(transform: MappingTransform): string {
  switch (transform.kind) {
    case 'trim':
      return 'trim';
    case 'case':
      return `${transform.to} case`;
    case 'split_full_name':
      return `${transform.part} name of full name`;
    case 'phone_e164':
      return transform.defaultCountry ? `phone E.164 (default ${transform.defaultCountry})` : 'phone E.164';
    case 'country':
      return `country → ${transform.to === 'name' ? 'name' : transform.to.toUpperCase()}`;
  }
}

const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  email: 'Ana.Silva@Example.com ',
  firstName: 'Ana',
  lastName: 'Silva',
  fullName: 'Ana Silva',
  company: 'Contoso Ltd',
  jobTitle: 'Head of Purchasing',
  phone: '030 1234567',
  mobilePhone: '0151 2345678',
  country: 'Germany',
  city: 'Berlin',
  website: 'https://contoso.example',
  notes: 'Met at the trade fair.',
};

/** A plausible lead with a value for each of the source's fields, to preview the mapping on. */
export function sampleLead(fields: Source['fields']): Record<string, string | number | boolean> {
  const lead: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const known = SAMPLE_VALUES[field.name];
    if (known !== undefined) lead[field.name] = known;
    else if (field.type === 'checkbox') lead[field.name] = true;
    else if (field.type === 'number') lead[field.name] = 1;
    else if (field.type === 'select') lead[field.name] = field.options?.[0] ?? field.label;
    else if (field.type === 'email') lead[field.name] = 'ana.silva@example.com';
    else lead[field.name] = `Sample ${field.label.toLowerCase()}`;
  }
  return lead;
}
