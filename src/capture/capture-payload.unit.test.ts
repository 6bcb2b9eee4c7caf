import { describe, expect, it } from 'vitest';
import type { LeadPayload, SourceField } from '../domain/index.js';
import { captureIssuesError, idempotencyKeyFor, parseCaptureBody } from './capture-payload.js';

const FIELDS: SourceField[] = [
  { name: 'email', label: 'Email', type: 'email', required: true, maxLength: 100 },
  { name: 'lastName', label: 'Last name', type: 'text', required: false, maxLength: 5 },
  { name: 'interest', label: 'Interest', type: 'select', required: false, options: ['Demo', 'Pricing'] },
  { name: 'seats', label: 'Seats', type: 'number', required: false },
  { name: 'consent', label: 'Consent', type: 'checkbox', required: false },
];

function messages(body: unknown, fields?: readonly SourceField[]): string[] {
  const result = parseCaptureBody(body, fields);
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.value)}`);
  return result.error.map((issue) => issue.message);
}

describe('parseCaptureBody shape', () => {
  it('accepts one lead or an array of leads', () => {
    expect(parseCaptureBody({ email: 'a@b.org', seats: 3, consent: true, note: null })).toEqual({
      ok: true,
      value: { leads: [{ email: 'a@b.org', seats: 3, consent: true, note: null }], batch: false },
    });
    const batch = parseCaptureBody([{ email: 'a@b.org' }, { email: 'c@d.org', externalId: 'crm-7' }]);
    expect(batch.ok && batch.value).toEqual({
      leads: [{ email: 'a@b.org' }, { email: 'c@d.org', externalId: 'crm-7' }],
      batch: true,
    });
  });

  it('accepts exactly 1,000 leads and 100 fields', () => {
    expect(parseCaptureBody(Array.from({ length: 1000 }, () => ({ a: 1 }))).ok).toBe(true);
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, 'x']));
    expect(parseCaptureBody(wide).ok).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['a string body', 'email=a@b.org', 'body: must be a lead object or an array of 1 to 1,000 leads'],
    ['a null body', null, 'body: must be a lead object or an array of 1 to 1,000 leads'],
    ['an empty array', [], 'body: the array is empty; send 1 to 1,000 leads'],
    [
      '1,001 leads',
      Array.from({ length: 1001 }, () => ({ a: 1 })),
      'body: holds more than 1,000 leads; split it',
    ],
    [
      'a nested object',
      [{ a: 1 }, { address: { city: 'x' } }],
      'leads[1].address: must be a string, number, boolean or null (no objects or arrays)',
    ],
    [
      'an array value',
      { tags: ['a'] },
      'tags: must be a string, number, boolean or null (no objects or arrays)',
    ],
    ['a long string', { notes: 'x'.repeat(10_001) }, 'notes: is longer than 10,000 characters'],
    [
      'a bad key',
      { '1st name': 'x' },
      'lead: "1st name" is not a valid field name (a letter, then up to 63 letters, digits, "_", "." or "-")',
    ],
    ['a 65-character key', { ['a'.repeat(65)]: 'x' }, `lead: "${'a'.repeat(65)}" is not a valid field name`],
    [
      'an array element that is not an object',
      [{ a: 1 }, 'x'],
      'leads[1]: a lead must be a JSON object of field names and values',
    ],
    ['an empty externalId', { externalId: '' }, 'externalId: must be text of 1 to 200 characters'],
    [
      'a long externalId',
      [{ externalId: 'x'.repeat(201) }],
      'leads[0].externalId: must be text of 1 to 200 characters',
    ],
    ['a numeric externalId', { externalId: 7 }, 'externalId: must be text of 1 to 200 characters'],
  ])('refuses %s', (_, body, expected) => {
    const found = messages(body);
    expect(
      found.some((message) => message.startsWith(expected)),
      found.join('\n'),
    ).toBe(true);
  });

  it('refuses more than 100 fields', () => {
    const wide = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, 'x']));
    expect(messages(wide)).toEqual(['lead: has 101 fields; at most 100 are allowed']);
  });
});

describe('parseCaptureBody against the source fields', () => {
  it('names the index and the field', () => {
    const body = [
      { email: 'a@b.org' },
      { email: 'c@d.org' },
      { email: 'e@f.org' },
      { email: 'not-an-email', lastName: 'Smithers', interest: 'Jobs', seats: 'many', consent: 'perhaps' },
      { lastName: 'Li' },
    ];
    expect(messages(body, FIELDS)).toEqual([
      'leads[3].email: "not-an-email" is not an email address',
      'leads[3].lastName: "Smithers" is 8 characters; the limit is 5',
      'leads[3].interest: "Jobs" is not one of the options (Demo, Pricing)',
      'leads[3].seats: "many" is not a number',
      'leads[3].consent: "perhaps" is not yes or no',
      'leads[4].email: a value is required',
    ]);
  });

  it('uses the bare field name for a single lead', () => {
    expect(messages({ email: '  ' }, FIELDS)).toEqual(['email: a value is required']);
  });

  it.each([
    [{ email: "o'brien@example.ie" }],
    [{ email: 'a@b.org', interest: ' pricing ', seats: '12', consent: 'yes', extra: 'kept' }],
    [{ email: 'a@b.org', seats: 2.5, consent: false, lastName: null }],
  ])('accepts %j', (lead) => {
    expect(parseCaptureBody(lead, FIELDS)).toEqual({ ok: true, value: { leads: [lead], batch: false } });
  });

  it('passes quotes and OData syntax through unchanged', () => {
    const lead = {
      email: "o'brien@example.ie",
      lastName: "O'Bri",
      company: "x') or (1 eq 1",
      notes: "'; DROP TABLE leads; --",
    };
    const result = parseCaptureBody([lead], FIELDS);
    expect(result.ok && result.value.leads[0]).toStrictEqual(lead);
  });

  it('makes one invalid_body error of every issue', () => {
    const result = parseCaptureBody([{ email: 'x' }, {}], FIELDS);
    if (result.ok) throw new Error('expected issues');
    const error = captureIssuesError(result.error);
    expect(error.code).toBe('invalid_body');
    expect(error.message).toContain(
      'leads[0].email: "x" is not an email address; leads[1].email: a value is required',
    );
  });
});

describe('idempotencyKeyFor', () => {
  const payload: LeadPayload = { email: 'a@b.org', lastName: 'Li' };

  it('prefers the externalId, then the header key, then a hash', () => {
    expect(idempotencyKeyFor('src1', { ...payload, externalId: 'crm-42' }, 'hdr', 3)).toBe('crm-42');
    expect(idempotencyKeyFor('src1', payload, 'hdr')).toBe('hdr');
    expect(idempotencyKeyFor('src1', payload, 'hdr', 0)).toBe('hdr#0');
    expect(idempotencyKeyFor('src1', payload, 'hdr', 3)).toBe('hdr#3');
    expect(idempotencyKeyFor('src1', payload)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('hashes the canonical JSON: key order does not matter, values and source do', () => {
    const key = idempotencyKeyFor('src1', payload);
    expect(idempotencyKeyFor('src1', { lastName: 'Li', email: 'a@b.org' })).toBe(key);
    expect(idempotencyKeyFor('src1', { email: 'a@b.org', lastName: 'Lee' })).not.toBe(key);
    expect(idempotencyKeyFor('src1', { ...payload, extra: null })).not.toBe(key);
    expect(idempotencyKeyFor('src2', payload)).not.toBe(key);
    expect(idempotencyKeyFor('src1', { n: 1 })).not.toBe(idempotencyKeyFor('src1', { n: '1' }));
  });

  it('treats an empty header key as absent', () => {
    expect(idempotencyKeyFor('src1', payload, '')).toBe(idempotencyKeyFor('src1', payload));
  });
});
