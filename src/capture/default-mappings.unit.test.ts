import { describe, expect, it } from 'vitest';
import type { SourceField } from '../domain/index.js';
import { crmTable } from './crm-tables-test-support.js';
import {
  COMMON_FIELD_NAMES,
  DEFAULT_FORM_FIELDS,
  DEFAULT_LEAD_SUBJECT,
  defaultMapping,
} from './default-mappings.js';
import { applyMapping } from './field-mapping.js';

const lead = crmTable('lead');
const contact = crmTable('contact');

const pairs = (table: 'lead' | 'contact', fields?: readonly SourceField[]) =>
  defaultMapping(table, fields).columns.map((rule) => [
    rule.column,
    rule.value.kind === 'field' ? rule.value.field : `=${String(rule.value.value)}`,
  ]);

describe('defaultMapping', () => {
  it('maps every common field to its lead column, plus a topic', () => {
    expect(pairs('lead')).toEqual([
      ['emailaddress1', 'email'],
      ['firstname', 'firstName'],
      ['lastname', 'lastName'],
      ['companyname', 'company'],
      ['jobtitle', 'jobTitle'],
      ['telephone1', 'phone'],
      ['mobilephone', 'mobilePhone'],
      ['address1_country', 'country'],
      ['address1_city', 'city'],
      ['websiteurl', 'website'],
      ['description', 'notes'],
      ['subject', `=${DEFAULT_LEAD_SUBJECT}`],
    ]);
  });

  it('gives contacts no company name and no topic', () => {
    const columns = pairs('contact').map(([column]) => column);
    expect(columns).not.toContain('companyname');
    expect(columns).not.toContain('subject');
    expect(columns).toHaveLength(10);
  });

  it('only maps the fields a source has, and splits a lone full name', () => {
    const fields: SourceField[] = [
      { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'fullName', label: 'Name', type: 'text', required: true },
    ];
    expect(pairs('contact', fields)).toEqual([
      ['emailaddress1', 'email'],
      ['firstname', 'fullName'],
      ['lastname', 'fullName'],
    ]);
    const result = applyMapping(
      defaultMapping('contact', fields),
      { email: 'J@X.org', fullName: 'Jan van der Berg' },
      contact,
    );
    expect(result).toEqual({
      ok: true,
      record: { emailaddress1: 'j@x.org', firstname: 'Jan', lastname: 'van der Berg' },
    });
  });

  it('prefers first and last name over a full name', () => {
    const fields: SourceField[] = ['firstName', 'lastName', 'fullName'].map((name) => ({
      name,
      label: name,
      type: 'text',
      required: false,
    }));
    expect(pairs('lead', fields).filter(([, source]) => source === 'fullName')).toEqual([]);
  });

  it('uses the given topic', () => {
    const subject = defaultMapping('lead', undefined, { subject: 'Trade fair Munich' }).columns.find(
      (r) => r.column === 'subject',
    );
    expect(subject?.value).toEqual({ kind: 'constant', value: 'Trade fair Munich' });
  });

  it('maps a typical lead into a record the real lead table accepts', () => {
    const payload = {
      email: ' Ada@Example.ORG',
      firstName: 'Ada ',
      lastName: 'Lovelace',
      company: 'Analytical Engines Ltd',
      jobTitle: 'Analyst',
      phone: '+44 20 7946 0958',
      mobilePhone: '',
      country: 'United Kingdom',
      city: 'London',
      website: 'https://example.org',
      notes: null,
    };
    expect(applyMapping(defaultMapping('lead'), payload, lead)).toEqual({
      ok: true,
      record: {
        emailaddress1: 'ada@example.org',
        firstname: 'Ada',
        lastname: 'Lovelace',
        companyname: 'Analytical Engines Ltd',
        jobtitle: 'Analyst',
        telephone1: '+44 20 7946 0958',
        address1_country: 'United Kingdom',
        address1_city: 'London',
        websiteurl: 'https://example.org',
        subject: DEFAULT_LEAD_SUBJECT,
      },
    });
  });
});

describe('DEFAULT_FORM_FIELDS', () => {
  it('uses only common field names and requires what the CRM requires', () => {
    for (const field of DEFAULT_FORM_FIELDS) expect(COMMON_FIELD_NAMES).toContain(field.name);
    expect(DEFAULT_FORM_FIELDS.filter((f) => f.required).map((f) => f.name)).toEqual(['email', 'lastName']);
  });

  it.each([['lead'], ['contact']] as const)('never allows more than the %s columns they map to', (table) => {
    const metadata = table === 'lead' ? lead : contact;
    for (const rule of defaultMapping(table, DEFAULT_FORM_FIELDS).columns) {
      if (rule.value.kind !== 'field') continue;
      const sourceField = rule.value.field;
      const field = DEFAULT_FORM_FIELDS.find((f) => f.name === sourceField);
      const column = metadata.columns.get(rule.column);
      expect(column, rule.column).toBeDefined();
      expect(field?.maxLength, field?.name).toBeLessThanOrEqual(column?.maxLength ?? Infinity);
    }
  });
});
