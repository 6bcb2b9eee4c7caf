import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  columnMappingSchema,
  fieldRulesSchema,
  mappingTransformSchema,
  sourceFieldSchema,
  sourceFieldsSchema,
  sourceMappingsSchema,
} from './lead-source-shape.js';

const email = { name: 'email', label: 'Email', type: 'email', required: true };
const rule = (column: string, field = 'email') => ({ column, value: { kind: 'field', field } });

/** The issues a schema reports, as `path: message`. */
function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('source fields', () => {
  it('default `required` to false and trim labels and options', () => {
    expect(
      sourceFieldSchema.parse({ name: 'size', label: ' Size ', type: 'select', options: [' S ', 'M'] }),
    ).toEqual({ name: 'size', label: 'Size', type: 'select', required: false, options: ['S', 'M'] });
  });

  it.each([
    ['a select without options', { ...email, type: 'select' }, 'options: A select field needs options'],
    ['options on a text field', { ...email, type: 'text', options: ['a'] }, 'options: A select field'],
    ['a select with no options at all', { ...email, type: 'select', options: [] }, 'options: Too small'],
    ['a blank option', { ...email, type: 'select', options: ['  '] }, 'options.0: Too small'],
    ['a name with a space', { ...email, name: 'first name' }, 'name: Use letters, digits'],
    ['a name not starting with a letter', { ...email, name: '1st' }, 'name: Use letters, digits'],
    ['a blank label', { ...email, label: '  ' }, 'label: Too small'],
    ['a maximum length over 100 000', { ...email, maxLength: 100_001 }, 'maxLength: Too big'],
    ['an explicit undefined', { ...email, maxLength: undefined }, 'maxLength: Invalid input'],
    ['an unknown property', { ...email, hint: 'x' }, 'Unrecognized key: "hint"'],
  ])('refuse %s', (_label, field, expected) => {
    expect(problems(sourceFieldSchema, field).join('\n')).toContain(expected);
  });

  it('refuse a field name used twice, pointing at the second', () => {
    const fields = [email, { ...email, label: 'Other' }];
    expect(problems(sourceFieldsSchema, fields)).toEqual(['1.name: The field name "email" is used twice']);
  });

  it('accept up to 100 fields', () => {
    const fields = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `f${i}`, label: `F${i}`, type: 'text' }));
    expect(sourceFieldsSchema.safeParse(fields(100)).success).toBe(true);
    expect(problems(sourceFieldsSchema, fields(101))).toEqual([
      ': Too big: expected array to have <=100 items',
    ]);
  });
});

describe('mappings', () => {
  it('accept a rule with transforms and a constant up to 4000 characters', () => {
    const trims = Array.from({ length: 10 }, () => ({ kind: 'trim' }));
    expect(columnMappingSchema.safeParse({ ...rule('firstname'), transforms: trims }).success).toBe(true);
    const constant = { column: 'description', value: { kind: 'constant', value: 'x'.repeat(4000) } };
    expect(columnMappingSchema.safeParse(constant).success).toBe(true);
  });

  it.each([
    ['an upper-case column', rule('EmailAddress1'), 'column: Use the CRM column logical name'],
    ['a column with a space', rule(' emailaddress1'), 'column: Use the CRM column logical name'],
    ['a field that cannot be a field name', rule('firstname', 'first name'), 'value.field: Use letters'],
    [
      'more than 10 transforms',
      { ...rule('firstname'), transforms: Array.from({ length: 11 }, () => ({ kind: 'trim' })) },
      'transforms: Too big',
    ],
    [
      'a constant over 4000 characters',
      { column: 'description', value: { kind: 'constant', value: 'x'.repeat(4001) } },
      'value.value: Too big',
    ],
    ['an unknown choice mode', { ...rule('leadsourcecode'), choiceBy: 'guess' }, 'choiceBy: Invalid option'],
  ])('refuse %s', (_label, value, expected) => {
    expect(problems(columnMappingSchema, value).join('\n')).toContain(expected);
  });

  it('take a phone country as two upper-case letters only', () => {
    expect(mappingTransformSchema.safeParse({ kind: 'phone_e164', defaultCountry: 'DE' }).success).toBe(true);
    expect(problems(mappingTransformSchema, { kind: 'phone_e164', defaultCountry: 'de' })).toEqual([
      'defaultCountry: Use a two-letter ISO country code, e.g. DE',
    ]);
  });

  it("refuse a mapping whose table is not its key, and tables that don't exist", () => {
    expect(
      problems(sourceMappingsSchema, {
        lead: { table: 'lead', columns: [] },
        contact: { table: 'lead', columns: [] },
      }),
    ).toEqual(['contact.table: The contact mapping has the table "lead"; it must be contact']);
    expect(problems(sourceMappingsSchema, { opportunity: { table: 'lead', columns: [] } })).toEqual([
      ': Unrecognized key: "opportunity"',
    ]);
  });

  it('key field rules by CRM column', () => {
    expect(fieldRulesSchema.safeParse({ emailaddress1: 'leadbridge', firstname: 'crm' }).success).toBe(true);
    expect(problems(fieldRulesSchema, { EmailAddress1: 'crm' })).toEqual([
      'EmailAddress1: Invalid key in record',
    ]);
    expect(problems(fieldRulesSchema, { firstname: 'both' }).join('\n')).toContain(
      'firstname: Invalid option',
    );
  });
});
