import { describe, expect, it } from 'vitest';
import {
  escapeODataString,
  idFromEntityUrl,
  odataIn,
  odataString,
  queryString,
  recordPath,
} from './odata-syntax.js';

describe('OData string literals', () => {
  it.each([
    ['plain', "'plain'"],
    ["O'Brien", "'O''Brien'"],
    ["''", "''''''"],
    ["x' or 1 eq 1 or name eq '", "'x'' or 1 eq 1 or name eq '''"],
    ['a+b@example.com', "'a+b@example.com'"],
    ['', "''"],
  ])('%s → %s', (value, literal) => {
    expect(odataString(value)).toBe(literal);
    expect(escapeODataString(value)).toBe(literal.slice(1, -1));
  });

  it('a hostile value stays one literal inside a $filter', () => {
    const filter = `emailaddress1 eq ${odataString("a' or contains(fullname,'x")}`;
    // Between the outer quotes every quote is doubled: the literal cannot end early.
    expect(filter).toBe("emailaddress1 eq 'a'' or contains(fullname,''x'");
  });

  it('In() takes the values as a JSON array', () => {
    expect(odataIn('emailaddress1', ['a@x.com', 'o"b@x.com'])).toBe(
      'Microsoft.Dynamics.CRM.In(PropertyName=\'emailaddress1\',PropertyValues=["a@x.com","o\\"b@x.com"])',
    );
  });
});

describe('recordPath', () => {
  it.each([
    ['leads', '7EB682F1-CA75-E511-80D4-00155D2A68D1', 'leads(7eb682f1-ca75-e511-80d4-00155d2a68d1)'],
    ['contacts', { emailaddress1: 'a@b.c' }, "contacts(emailaddress1='a@b.c')"],
    ['contacts', { lastname: "O'Brien", birthyear: 1970 }, "contacts(lastname='O''Brien',birthyear=1970)"],
    [
      'accounts',
      { parentid: '00000000-0000-0000-0000-000000000001' },
      'accounts(parentid=00000000-0000-0000-0000-000000000001)',
    ],
  ])('%s %j → %s', (set, key, path) => {
    expect(recordPath(set, key)).toBe(path);
  });

  it.each([
    ['leads', 'not-a-guid'],
    ['leads?$top=1', '00000000-0000-0000-0000-000000000001'],
    ['contacts', { emailaddress1: 'a+b@x.com' }],
    ['contacts', { 'bad column': 'x' }],
    ['contacts', {}],
  ])('refuses %s %j', (set, key) => {
    expect(() => recordPath(set, key)).toThrow(expect.objectContaining({ code: 'crm_validation_failed' }));
  });
});

describe('queryString', () => {
  it('encodes each option value', () => {
    expect(
      queryString({
        select: ['fullname', 'emailaddress1'],
        filter: `emailaddress1 eq ${odataString('a+b@x.com')}`,
        orderBy: ['createdon desc'],
        top: 5,
      }),
    ).toBe(
      "?$select=fullname%2Cemailaddress1&$filter=emailaddress1%20eq%20'a%2Bb%40x.com'&$orderby=createdon%20desc&$top=5",
    );
    expect(queryString({})).toBe('');
  });
});

describe('idFromEntityUrl', () => {
  it.each([
    [
      'https://x.crm.dynamics.com/api/data/v9.2/leads(7EB682F1-CA75-E511-80D4-00155D2A68D1)',
      '7eb682f1-ca75-e511-80d4-00155d2a68d1',
    ],
    ["https://x/api/data/v9.2/contacts(emailaddress1='a')", undefined],
    [undefined, undefined],
  ])('%s → %s', (url, id) => {
    expect(idFromEntityUrl(url)).toBe(id);
  });
});
