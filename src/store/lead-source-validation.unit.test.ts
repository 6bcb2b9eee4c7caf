import { describe, expect, it } from 'vitest';
import { createSourceRequestSchema } from '../contracts/index.js';
import type { NewLeadSource } from '../domain/index.js';
import { leadSourceUpdateSchema, newLeadSourceSchema, storedFieldsSchema } from './lead-source-validation.js';

const source: NewLeadSource = {
  name: 'Website form',
  kind: 'form',
  fields: [
    { name: 'email', label: 'Email', type: 'email', required: true, maxLength: 100 },
    { name: 'interest', label: 'Interest', type: 'select', required: false, options: ['Demo', 'Pricing'] },
  ],
  mappings: {
    lead: {
      table: 'lead',
      columns: [
        { column: 'emailaddress1', value: { kind: 'field', field: 'email' }, transforms: [{ kind: 'trim' }] },
        { column: 'leadsourcecode', value: { kind: 'constant', value: 8 }, choiceBy: 'value' },
      ],
    },
  },
  duplicates: {
    mode: 'policy',
    policy: { check: 'leads', keys: 'email', onDuplicate: 'none', create: 'lead' },
  },
  fieldRules: { emailaddress1: 'leadbridge' },
  syncIntervalMinutes: 5,
  enabled: true,
};

const field = source.fields[0]!;
const rule = source.mappings.lead!.columns[0]!;
const leadMapping = (columns: readonly unknown[]) => ({ lead: { table: 'lead', columns } });

/** Parts the HTTP API refuses; since both check one definition, the store must refuse them too. */
const REFUSED_PARTS: readonly (readonly [string, Record<string, unknown>])[] = [
  ['a field name no lead payload can carry', { fields: [{ ...field, name: 'e mail' }] }],
  ['a select field without options', { fields: [{ ...field, type: 'select' }] }],
  ['options on a text field', { fields: [{ ...field, options: ['a'] }] }],
  ['a field name used twice', { fields: [field, { ...field, label: 'Again' }] }],
  ['more than 100 fields', { fields: Array.from({ length: 101 }, (_, i) => ({ ...field, name: `f${i}` })) }],
  ['a maximum length over 100 000', { fields: [{ ...field, maxLength: 100_001 }] }],
  ['a column that is no logical name', { mappings: leadMapping([{ ...rule, column: 'Email Address' }]) }],
  [
    'a constant over 4000 characters',
    {
      mappings: leadMapping([
        { column: 'description', value: { kind: 'constant', value: 'x'.repeat(4001) } },
      ]),
    },
  ],
  [
    'more than 10 transforms',
    {
      mappings: leadMapping([{ ...rule, transforms: Array.from({ length: 11 }, () => ({ kind: 'trim' })) }]),
    },
  ],
  ['a mapping under another table', { mappings: { contact: { table: 'lead', columns: [] } } }],
  ['a field rule for no column', { fieldRules: { 'Email Address': 'crm' } }],
  [
    'a duplicate policy missing its create action',
    { duplicates: { mode: 'policy', policy: { check: 'leads' } } },
  ],
];

describe('lead source validation in the store', () => {
  it('accepts a whole source and gives back the same value', () => {
    expect(newLeadSourceSchema.parse(source)).toEqual(source);
  });

  it.each(REFUSED_PARTS)('refuses %s, as the HTTP API does', (_label, part) => {
    expect(createSourceRequestSchema.safeParse({ name: 'S', kind: 'api', ...part }).success).toBe(false);
    expect(newLeadSourceSchema.safeParse({ ...source, ...part }).success).toBe(false);
    expect(leadSourceUpdateSchema.safeParse(part).success).toBe(false);
  });

  it('fills in `required` and trims options as the HTTP API does, also when reading back', () => {
    const stored = [{ name: 'size', label: 'Size', type: 'select', options: [' S ', 'M'] }];
    expect(storedFieldsSchema.parse(stored)).toEqual([
      { name: 'size', label: 'Size', type: 'select', required: false, options: ['S', 'M'] },
    ]);
    expect(createSourceRequestSchema.parse({ name: 'S', kind: 'api', fields: stored }).fields).toEqual(
      storedFieldsSchema.parse(stored),
    );
  });
});
