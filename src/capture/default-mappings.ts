import type { ColumnMapping, FieldMapping, MappingTransform, SourceField } from '../domain/index.js';

/**
 * The mappings a new source starts with, from the field names most sources share, and the fields a
 * new hosted form asks for. They only trim (and lower-case e-mail): a default must never reject a lead
 * that a person would accept, so phone and country normalisation are left for the admin to switch on.
 */
export type DefaultMappingTable = 'lead' | 'contact';

/** The common field names, as capture API clients, forms, CSV headers and partner feeds use them. */
export const COMMON_FIELD_NAMES = [
  'email',
  'firstName',
  'lastName',
  'fullName',
  'company',
  'jobTitle',
  'phone',
  'mobilePhone',
  'country',
  'city',
  'website',
  'notes',
] as const;

const TRIM: readonly MappingTransform[] = [{ kind: 'trim' }];

/** Field → column, the same for leads and contacts except the company name (contacts have none). */
const COLUMNS_BY_FIELD: ReadonlyArray<{
  field: string;
  column: string;
  transforms?: readonly MappingTransform[];
}> = [
  { field: 'email', column: 'emailaddress1', transforms: [{ kind: 'trim' }, { kind: 'case', to: 'lower' }] },
  { field: 'firstName', column: 'firstname' },
  { field: 'lastName', column: 'lastname' },
  { field: 'company', column: 'companyname' },
  { field: 'jobTitle', column: 'jobtitle' },
  { field: 'phone', column: 'telephone1' },
  { field: 'mobilePhone', column: 'mobilephone' },
  { field: 'country', column: 'address1_country' },
  { field: 'city', column: 'address1_city' },
  { field: 'website', column: 'websiteurl' },
  { field: 'notes', column: 'description' },
];

/** The topic Dataverse asks for on every lead (`subject` is ApplicationRequired) when nothing else says. */
export const DEFAULT_LEAD_SUBJECT = 'Lead captured by Leadbridge';

export interface DefaultMappingOptions {
  /** Fixed topic for created leads, e.g. "Trade fair Munich 2025"; contacts have no topic. */
  readonly subject?: string;
}

/**
 * The default mapping for a table. Given the source's fields, rules are made only for fields it has;
 * a source with `fullName` but no first and last name has the full name split into both.
 */
export function defaultMapping(
  table: DefaultMappingTable,
  fields?: readonly SourceField[],
  options: DefaultMappingOptions = {},
): FieldMapping {
  const has = (name: string): boolean => fields === undefined || fields.some((field) => field.name === name);
  const columns: ColumnMapping[] = [];
  for (const { field, column, transforms } of COLUMNS_BY_FIELD) {
    if (table === 'contact' && column === 'companyname') continue;
    if (!has(field)) continue;
    columns.push({ column, value: { kind: 'field', field }, transforms: transforms ?? TRIM });
  }
  const splitsFullName = fields !== undefined && has('fullName') && !has('firstName') && !has('lastName');
  if (splitsFullName) columns.push(splitRule('firstname', 'first'), splitRule('lastname', 'last'));
  if (table === 'lead')
    columns.push({
      column: 'subject',
      value: { kind: 'constant', value: options.subject ?? DEFAULT_LEAD_SUBJECT },
    });
  return { table, columns };
}

const splitRule = (column: string, part: 'first' | 'last'): ColumnMapping => ({
  column,
  value: { kind: 'field', field: 'fullName' },
  transforms: [{ kind: 'split_full_name', part }],
});

/**
 * What a new hosted form asks for. Maximum lengths are the CRM's own for the columns they map to
 * (lead and contact), so a visitor hears about an over-long value on the form, not the admin later.
 */
export const DEFAULT_FORM_FIELDS: readonly SourceField[] = [
  { name: 'email', label: 'Email', type: 'email', required: true, maxLength: 100 },
  { name: 'firstName', label: 'First name', type: 'text', required: false, maxLength: 50 },
  { name: 'lastName', label: 'Last name', type: 'text', required: true, maxLength: 50 },
  { name: 'company', label: 'Company', type: 'text', required: false, maxLength: 100 },
  { name: 'jobTitle', label: 'Job title', type: 'text', required: false, maxLength: 100 },
  { name: 'phone', label: 'Phone', type: 'phone', required: false, maxLength: 50 },
  { name: 'country', label: 'Country', type: 'text', required: false, maxLength: 80 },
  { name: 'notes', label: 'Message', type: 'textarea', required: false, maxLength: 2000 },
];
