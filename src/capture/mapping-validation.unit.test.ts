import { describe, expect, it } from 'vitest';
import type { ColumnMapping, FieldMapping, SourceField } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { crmTable } from './crm-tables-test-support.js';
import { DEFAULT_FORM_FIELDS, defaultMapping } from './default-mappings.js';
import { mappingInvalidError, previewMapping, validateMapping } from './mapping-validation.js';

const lead = crmTable('lead');
const contact = crmTable('contact');

const REQUIRED: ColumnMapping[] = [
  { column: 'lastname', value: { kind: 'field', field: 'lastName' } },
  { column: 'subject', value: { kind: 'constant', value: 'Web lead' } },
];
const FIELDS: SourceField[] = [
  { name: 'lastName', label: 'Last name', type: 'text', required: true },
  { name: 'phone', label: 'Phone', type: 'phone', required: false },
  { name: 'size', label: 'Company size', type: 'number', required: false },
];

const withRule = (rule: ColumnMapping): FieldMapping => ({ table: 'lead', columns: [...REQUIRED, rule] });
const field = (name: string) => ({ kind: 'field', field: name }) as const;
const constant = (value: string | number | boolean) => ({ kind: 'constant', value }) as const;

describe('validateMapping', () => {
  it('accepts the default mappings against the real lead and contact tables', () => {
    expect(validateMapping(defaultMapping('lead', DEFAULT_FORM_FIELDS), lead, DEFAULT_FORM_FIELDS)).toEqual(
      [],
    );
    expect(
      validateMapping(defaultMapping('contact', DEFAULT_FORM_FIELDS), contact, DEFAULT_FORM_FIELDS),
    ).toEqual([]);
    expect(validateMapping(defaultMapping('lead'), lead)).toEqual([]);
  });

  it.each<[string, ColumnMapping, string]>([
    [
      'an unknown column',
      { column: 'nosuch', value: field('phone') },
      'nosuch: the lead table has no such column (from field "phone")',
    ],
    [
      'a column not valid for create',
      { column: 'customeridname', value: field('phone') },
      'customeridname: customeridname cannot be set when a record is created (from field "phone")',
    ],
    [
      'a lookup column',
      { column: 'parentaccountid', value: constant('Contoso') },
      'parentaccountid: Parent Account for lead is a Lookup column, which a field mapping cannot fill (from the constant value)',
    ],
    [
      'a constant too long',
      { column: 'jobtitle', value: constant('x'.repeat(101)) },
      'jobtitle: "xxxxxxxxxxxxxxxxxxxx…" is 101 characters; the CRM allows 100 (from the constant value)',
    ],
    [
      'a constant choice label that does not exist',
      { column: 'leadqualitycode', value: constant('Lukewarm') },
      'leadqualitycode: "Lukewarm" is not an option of Rating; valid labels: Hot, Warm, Cold (from the constant value)',
    ],
    [
      'a constant of the wrong type',
      { column: 'donotemail', value: constant('perhaps') },
      'donotemail: "perhaps" is not yes or no (use true/false, yes/no or 1/0) (from the constant value)',
    ],
    [
      'a phone transform on a number column',
      {
        column: 'numberofemployees',
        value: field('size'),
        transforms: [{ kind: 'phone_e164', defaultCountry: 'DE' }],
      },
      'numberofemployees: the phone transform produces text, but the column is Integer (from field "size")',
    ],
    [
      'a country transform on a choice column',
      { column: 'leadsourcecode', value: field('phone'), transforms: [{ kind: 'country', to: 'name' }] },
      'leadsourcecode: the country transform produces text, but the column is Picklist (from field "phone")',
    ],
    [
      'an unknown default phone country',
      {
        column: 'telephone1',
        value: field('phone'),
        transforms: [{ kind: 'phone_e164', defaultCountry: 'XX' }],
      },
      `telephone1: the phone transform's default country "XX" is not an ISO 3166 code (from field "phone")`,
    ],
    [
      'a field the source does not have',
      { column: 'emailaddress1', value: field('mail') },
      'emailaddress1: the source has no field "mail" (its fields: lastName, phone, size) (from field "mail")',
    ],
    [
      'choiceBy on a text column',
      { column: 'jobtitle', value: field('phone'), choiceBy: 'value' },
      'jobtitle: choiceBy only applies to choice columns, and Job Title is String (from field "phone")',
    ],
    [
      'an empty constant',
      { column: 'jobtitle', value: constant('  ') },
      'jobtitle: the constant is empty (from the constant value)',
    ],
  ])('reports %s', (_, rule, message) => {
    const problems = validateMapping(withRule(rule), lead, FIELDS);
    expect(problems).toEqual([{ column: rule.column, message }]);
  });

  it.each<[string, ColumnMapping]>([
    ['a choice constant by label', { column: 'leadsourcecode', value: constant('web') }],
    ['a choice constant by value', { column: 'leadsourcecode', value: constant(8), choiceBy: 'value' }],
    ['a boolean constant', { column: 'donotemail', value: constant(true) }],
    [
      'a phone transform on a text column',
      {
        column: 'telephone1',
        value: field('phone'),
        transforms: [{ kind: 'phone_e164', defaultCountry: 'DE' }],
      },
    ],
    [
      'trim on a number column',
      { column: 'numberofemployees', value: field('size'), transforms: [{ kind: 'trim' }] },
    ],
    [
      'case on a choice column',
      { column: 'leadsourcecode', value: field('phone'), transforms: [{ kind: 'case', to: 'lower' }] },
    ],
  ])('accepts %s', (_, rule) => {
    expect(validateMapping(withRule(rule), lead, FIELDS)).toEqual([]);
  });

  it('reports required columns nobody fills, but not id, owner, state or status', () => {
    const problems = validateMapping(
      { table: 'lead', columns: [{ column: 'emailaddress1', value: field('email') }] },
      lead,
    );
    expect(problems).toEqual([
      {
        column: 'lastname',
        message: 'lastname: the CRM requires Last Name; map a field or a constant to it',
      },
      { column: 'subject', message: 'subject: the CRM requires Topic; map a field or a constant to it' },
    ]);
  });

  it('reports a column mapped twice', () => {
    const problems = validateMapping(withRule({ column: 'lastname', value: constant('Unknown') }), lead);
    expect(problems).toEqual([
      { column: 'lastname', message: 'lastname: is mapped 2 times; keep one rule per column' },
    ]);
  });

  it('skips the field check when the source fields are not given', () => {
    expect(validateMapping(withRule({ column: 'emailaddress1', value: field('anything') }), lead)).toEqual(
      [],
    );
  });

  it('reports a mapping meant for another table', () => {
    expect(validateMapping({ table: 'contact', columns: REQUIRED }, lead)[0]?.message).toBe(
      'the mapping is for the contact table but the metadata describes lead',
    );
  });

  it('turns problems into one mapping_invalid error', () => {
    const error = mappingInvalidError(validateMapping({ table: 'lead', columns: [] }, lead));
    expect(error).toBeInstanceOf(LeadbridgeError);
    expect(error.code).toBe('mapping_invalid');
    expect(error.status).toBe(422);
    expect(error.message).toContain(
      'lastname: the CRM requires Last Name; map a field or a constant to it; subject:',
    );
  });
});

describe('previewMapping', () => {
  it('answers each sample with its record or its errors, in order', () => {
    const mapping = defaultMapping('lead', DEFAULT_FORM_FIELDS, { subject: 'Fair' });
    const results = previewMapping(mapping, lead, [
      { email: ' Ada@Example.org ', lastName: 'Lovelace' },
      { email: 'x@y.org' },
      { lastName: 'L'.repeat(51) },
    ]);
    expect(results[0]).toEqual({
      ok: true,
      record: { emailaddress1: 'ada@example.org', lastname: 'Lovelace', subject: 'Fair' },
    });
    expect(results[1]).toEqual({
      ok: false,
      errors: [
        {
          column: 'lastname',
          field: 'lastName',
          message:
            'lastname: the CRM requires Last Name but the lead has no value for it (from field "lastName")',
        },
      ],
    });
    expect(results[2]?.ok).toBe(false);
    expect(results).toHaveLength(3);
  });
});
