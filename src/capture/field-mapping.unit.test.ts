import { describe, expect, it } from 'vitest';
import type { ColumnMapping, FieldMapping, LeadPayload, MappingTransform } from '../domain/index.js';
import { crmTable } from './crm-tables-test-support.js';
import { applyMapping } from './field-mapping.js';

const lead = crmTable('lead');

/** Lastname and subject are required on leads; these rules satisfy them unless a test is about them. */
const REQUIRED: ColumnMapping[] = [
  { column: 'lastname', value: { kind: 'field', field: 'lastName' } },
  { column: 'subject', value: { kind: 'constant', value: 'Web lead' } },
];
const BASE: LeadPayload = { lastName: 'Smith' };

const mapping = (...columns: ColumnMapping[]): FieldMapping => ({
  table: 'lead',
  columns: [...REQUIRED, ...columns],
});
const rule = (column: string, field: string, transforms?: MappingTransform[]): ColumnMapping =>
  transforms === undefined
    ? { column, value: { kind: 'field', field } }
    : { column, value: { kind: 'field', field }, transforms };

function mapOne(columnRule: ColumnMapping, payload: LeadPayload) {
  return applyMapping(mapping(columnRule), { ...BASE, ...payload }, lead);
}

function valueOf(columnRule: ColumnMapping, payload: LeadPayload): unknown {
  const result = mapOne(columnRule, payload);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.record[columnRule.column];
}

function errorsOf(columnRule: ColumnMapping, payload: LeadPayload): string[] {
  const result = mapOne(columnRule, payload);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.record)}`);
  return result.errors.map((e) => e.message);
}

describe('applyMapping transforms', () => {
  it.each([
    ['trim', [{ kind: 'trim' }], '  Ada  ', 'Ada'],
    ['upper', [{ kind: 'case', to: 'upper' }], 'Ada', 'ADA'],
    ['lower', [{ kind: 'case', to: 'lower' }], 'ADA@X.ORG', 'ada@x.org'],
    ['title', [{ kind: 'case', to: 'title' }], "anne-marie o'NEILL", "Anne-Marie O'Neill"],
    ['first name', [{ kind: 'split_full_name', part: 'first' }], ' Jan  van der Berg ', 'Jan'],
    ['last name', [{ kind: 'split_full_name', part: 'last' }], 'Jan van der Berg', 'van der Berg'],
    ['trim then title', [{ kind: 'trim' }, { kind: 'case', to: 'title' }], '  mÜLLER ', 'Müller'],
  ] as Array<[string, MappingTransform[], string, string]>)('%s', (_, transforms, input, expected) => {
    expect(valueOf(rule('firstname', 'x', transforms), { x: input })).toBe(expected);
  });

  it('leaves the column out when a single word has no last name', () => {
    const result = applyMapping(
      {
        table: 'lead',
        columns: [
          rule('firstname', 'fullName', [{ kind: 'split_full_name', part: 'first' }]),
          rule('lastname', 'fullName', [{ kind: 'split_full_name', part: 'last' }]),
        ],
      },
      { fullName: 'Cher' },
    );
    expect(result).toEqual({ ok: true, record: { firstname: 'Cher' } });
  });

  it.each([
    ['0171 1234567', 'DE', '+491711234567'],
    ['16175555555', 'US', '+16175555555'],
    ['(617) 555-5555', 'US', '+16175555555'],
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['+49 30 901820', 'US', '+4930901820'],
  ])('phone %s (default %s) → %s', (input, defaultCountry, expected) => {
    const transform: MappingTransform =
      defaultCountry === undefined ? { kind: 'phone_e164' } : { kind: 'phone_e164', defaultCountry };
    expect(valueOf(rule('telephone1', 'phone', [transform]), { phone: input })).toBe(expected);
  });

  it('names the column and the field when a phone number is invalid', () => {
    expect(
      errorsOf(rule('telephone1', 'phone', [{ kind: 'phone_e164', defaultCountry: 'DE' }]), { phone: '12' }),
    ).toEqual(['telephone1: "12" is not a valid phone number (from field "phone")']);
    expect(
      errorsOf(rule('telephone1', 'phone', [{ kind: 'phone_e164' }]), { phone: '030 901820' })[0],
    ).toContain('no country code');
  });

  it.each([
    ['Deutschland', 'iso2', 'DE'],
    ['Germany', 'iso3', 'DEU'],
    ['de', 'name', 'Germany'],
    ['DEU', 'iso2', 'DE'],
    ['USA', 'name', 'United States of America'],
    ['Österreich', 'iso2', 'AT'],
    ['osterreich', 'iso2', 'AT'],
    ['UK', 'iso2', 'GB'],
    ['Vereinigtes Königreich', 'iso3', 'GBR'],
    ['  france ', 'name', 'France'],
  ] as const)('country %s → %s %s', (input, to, expected) => {
    expect(valueOf(rule('address1_country', 'country', [{ kind: 'country', to }]), { country: input })).toBe(
      expected,
    );
  });

  it('refuses an unknown country, naming the field', () => {
    expect(
      errorsOf(rule('address1_country', 'country', [{ kind: 'country', to: 'name' }]), {
        country: 'Atlantis',
      }),
    ).toEqual(['address1_country: "Atlantis" is not a country name or ISO code (from field "country")']);
  });
});

describe('applyMapping with metadata', () => {
  it('resolves choices by label (any case, trimmed) or by value', () => {
    expect(valueOf(rule('leadsourcecode', 'src'), { src: ' trade SHOW ' })).toBe(7);
    expect(valueOf({ ...rule('leadsourcecode', 'src'), choiceBy: 'value' }, { src: '8' })).toBe(8);
    expect(valueOf({ ...rule('leadsourcecode', 'src'), choiceBy: 'value' }, { src: 8 })).toBe(8);
    expect(valueOf(rule('statuscode', 'status'), { status: 'Contacted' })).toBe(2);
  });

  it('lists the valid labels for an unknown choice', () => {
    const [message] = errorsOf(rule('leadsourcecode', 'src'), { src: 'Webinar' });
    expect(message).toBe(
      'leadsourcecode: "Webinar" is not an option of Lead Source; valid labels: Advertisement, Employee Referral, ' +
        'External Referral, Partner, Public Relations, Seminar, Trade Show, Web, Word of Mouth, Other (from field "src")',
    );
    expect(errorsOf({ ...rule('leadsourcecode', 'src'), choiceBy: 'value' }, { src: 99 })[0]).toContain(
      '99 is not an option value of Lead Source; valid values: 1 (Advertisement)',
    );
  });

  it('names column, length and field when text is too long', () => {
    const result = applyMapping(
      { table: 'lead', columns: [rule('lastname', 'surname'), REQUIRED[1]!] },
      { surname: 'Smith'.repeat(36) },
      lead,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          column: 'lastname',
          field: 'surname',
          message:
            'lastname: "SmithSmithSmithSmith…" is 180 characters; the CRM allows 50 (from field "surname")',
        },
      ],
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(valueOf(rule('firstname', 'x'), { x: '😀'.repeat(50) })).toBe('😀'.repeat(50));
  });

  it.each([
    ['numberofemployees', '250', 250],
    ['numberofemployees', ' -3 ', -3],
    ['numberofemployees', 42, 42],
    ['revenue', '1234.50', 1234.5],
    ['revenue', '1,234.50', 1234.5],
    ['revenue', '1234,5', 1234.5],
    ['revenue', 99, 99],
    ['donotemail', 'yes', true],
    ['donotemail', 'Nein', false],
    ['donotemail', '0', false],
    ['donotemail', true, true],
    ['estimatedclosedate', '2025-06-30', '2025-06-30'],
    ['estimatedclosedate', '2025-06-30 14:00', '2025-06-30T14:00'],
  ] as Array<[string, string | number | boolean, unknown]>)('%s from %j → %j', (column, input, expected) => {
    expect(valueOf(rule(column, 'x'), { x: input })).toBe(expected);
  });

  it.each([
    ['numberofemployees', '12.5', '"12.5" is not a whole number'],
    ['numberofemployees', '3000000000', 'outside the range the CRM allows'],
    ['revenue', 'lots', '"lots" is not a number'],
    ['donotemail', 'maybe', '"maybe" is not yes or no'],
    ['estimatedclosedate', '03/04/2025', 'is not a date'],
    ['parentaccountid', 'Contoso', 'is a Lookup column'],
    ['nosuchcolumn', 'x', 'the lead table has no such column'],
    ['customeridname', 'x', 'cannot be set when a record is created'],
  ])('%s refuses %j', (column, input, expected) => {
    const [message] = errorsOf(rule(column, 'x'), { x: input });
    expect(message).toContain(expected);
    expect(message).toMatch(new RegExp(`^${column}: .*\\(from field "x"\\)$`));
  });

  it('reports a required column that ends up empty, and one nothing fills', () => {
    const result = applyMapping(
      { table: 'lead', columns: [rule('lastname', 'lastName'), rule('emailaddress1', 'email')] },
      { lastName: '   ', email: 'a@b.org' },
      lead,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'lastname: the CRM requires Last Name but the lead has no value for it (from field "lastName")',
      'subject: the CRM requires Topic and the mapping does not fill it',
    ]);
  });

  it('does not ask for the primary id, owner, state or status', () => {
    const result = applyMapping(mapping(), BASE, lead);
    expect(result).toEqual({ ok: true, record: { lastname: 'Smith', subject: 'Web lead' } });
  });

  it('collects every error rather than stopping at the first', () => {
    const result = applyMapping(
      mapping(rule('leadsourcecode', 'a'), rule('numberofemployees', 'b')),
      { ...BASE, a: 'x', b: 'y' },
      lead,
    );
    expect(result.ok ? 0 : result.errors.map((e) => e.column)).toEqual([
      'leadsourcecode',
      'numberofemployees',
    ]);
  });

  it('refuses a column mapped twice', () => {
    const result = applyMapping(mapping(rule('lastname', 'other')), { ...BASE, other: 'Jones' }, lead);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'lastname: is mapped more than once; keep one rule per column (from field "other")',
    ]);
  });
});

describe('applyMapping values', () => {
  it.each([[null], [''], ['   '], [undefined]])('sends no column for an empty source value (%j)', (value) => {
    const payload: Record<string, string | null> = { lastName: 'Smith' };
    if (value !== undefined) payload['email'] = value;
    const result = applyMapping(mapping(rule('emailaddress1', 'email')), payload, lead);
    expect(result).toEqual({ ok: true, record: { lastname: 'Smith', subject: 'Web lead' } });
  });

  it('sends no column when transforms leave nothing', () => {
    expect(mapOne(rule('firstname', 'x', [{ kind: 'trim' }]), { x: ' \t ' })).toEqual({
      ok: true,
      record: { lastname: 'Smith', subject: 'Web lead' },
    });
  });

  it('passes quotes and OData-looking text through unchanged', () => {
    const payload = {
      lastName: "O'Brien",
      company: "x') or (1 eq 1",
      notes: 'a "quoted" $filter=name eq \'x\'',
    };
    const result = applyMapping(
      mapping(rule('companyname', 'company', [{ kind: 'trim' }]), rule('description', 'notes')),
      payload,
      lead,
    );
    expect(result).toEqual({
      ok: true,
      record: {
        lastname: "O'Brien",
        subject: 'Web lead',
        companyname: "x') or (1 eq 1",
        description: payload.notes,
      },
    });
  });

  it('maps without metadata, passing values through and honouring choiceBy value', () => {
    const result = applyMapping(
      {
        table: 'lead',
        columns: [
          rule('lastname', 'lastName'),
          { ...rule('leadsourcecode', 'src'), choiceBy: 'value' },
          rule('numberofemployees', 'n'),
          { column: 'subject', value: { kind: 'constant', value: 'Fair' } },
        ],
      },
      { lastName: 'Smith', src: '8', n: 12 },
    );
    expect(result).toEqual({
      ok: true,
      record: { lastname: 'Smith', leadsourcecode: 8, numberofemployees: 12, subject: 'Fair' },
    });
  });

  it('cannot match choice labels without metadata', () => {
    const result = applyMapping(
      { table: 'lead', columns: [{ ...rule('leadsourcecode', 'src'), choiceBy: 'label' }] },
      { src: 'Web' },
    );
    expect(result.ok).toBe(false);
  });

  it('says a constant rather than a field is the origin', () => {
    const result = applyMapping(
      {
        table: 'lead',
        columns: [REQUIRED[0]!, { column: 'subject', value: { kind: 'constant', value: 'x'.repeat(301) } }],
      },
      BASE,
      lead,
    );
    expect(result.ok ? [] : result.errors).toEqual([
      {
        column: 'subject',
        message:
          'subject: "xxxxxxxxxxxxxxxxxxxx…" is 301 characters; the CRM allows 300 (from the constant value)',
      },
    ]);
  });
});
