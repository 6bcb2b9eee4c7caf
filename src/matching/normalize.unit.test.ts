import { describe, expect, it } from 'vitest';
import {
  isPlausibleEmail,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  phoneSpellings,
  withoutAccents,
  type EmailNormalizeOptions,
} from './normalize.js';

describe('normalizeEmail', () => {
  it.each<[unknown, EmailNormalizeOptions, string | undefined]>([
    ['  Ana.Lopez@Example.COM \n', {}, 'ana.lopez@example.com'],
    ['jose\u0301@example.com', {}, 'jos\u00e9@example.com'],
    ['a.n.a+news@gmail.com', {}, 'a.n.a+news@gmail.com'],
    ['a.n.a+news@gmail.com', { gmailDots: true }, 'ana+news@gmail.com'],
    ['a.n.a+news@googlemail.com', { gmailDots: true }, 'ana+news@gmail.com'],
    ['a.n.a+news@example.com', { gmailDots: true }, 'a.n.a+news@example.com'],
    ['a.n.a+news@example.com', { plusAddressing: true }, 'a.n.a@example.com'],
    ['A.N.A+news@GMail.com', { gmailDots: true, plusAddressing: true }, 'ana@gmail.com'],
    ['+only@example.com', { plusAddressing: true }, '+only@example.com'],
    ['   ', {}, undefined],
    [undefined, {}, undefined],
    [42, {}, undefined],
  ])('%j %j → %j', (value, options, expected) => {
    expect(normalizeEmail(value, options)).toBe(expected);
  });
});

describe('isPlausibleEmail', () => {
  it.each<[string, boolean]>([
    ['ana@x.com', true],
    ["o'brien@example.ie", true],
    ['  ana@x.com ', true],
    ['jos\u00e9@ex\u00e4mple.de', true],
    ['n/a', false],
    ['-', false],
    ['ana@localhost', false],
    ['ana@@x.com', false],
    ['ana x@x.com', false],
    ['@x.com', false],
    ['ana@x.', false],
    ['ana@.com', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isPlausibleEmail(value)).toBe(expected);
  });
});

describe('normalizeName', () => {
  it.each<[unknown, string | undefined]>([
    ['  José   María ', 'jose maria'],
    ['JOSE MARIA', 'jose maria'],
    ["O'Brien", "o'brien"],
    ['O’Brien', "o'brien"],
    ['Smith–Jones', 'smith-jones'],
    ['Łukasz Øster', 'lukasz oster'],
    ['Strauß', 'strauss'],
    ['Ærø', 'aero'],
    ['Nguyễn', 'nguyen'],
    [12, '12'],
    ['\t', undefined],
    [null, undefined],
  ])('%j → %j', (value, expected) => {
    expect(normalizeName(value)).toBe(expected);
  });
});

describe('normalizePhone', () => {
  it.each<[unknown, string | undefined, string | undefined]>([
    ['+49 30 1234567', undefined, '+49301234567'],
    ['+49 30 1234567', 'DE', '+49301234567'],
    ['030 1234567', 'DE', '+49301234567'],
    ['(030) 123-4567', 'de', '+49301234567'],
    ['0049 30 1234567', 'DE', '+49301234567'],
    ['030 1234567', undefined, undefined],
    ['030 1234567', 'XX', undefined],
    ['+1 415 555 2671', 'DE', '+14155552671'],
    ['+49 30 1234567 ext. 12', undefined, '+49301234567'],
    // Too short for a German number: the "min" metadata would have called it valid.
    ['12345', 'DE', undefined],
    ['call me', 'DE', undefined],
    ['', 'DE', undefined],
    [undefined, 'DE', undefined],
  ])('%j (%s) → %j', (value, country, expected) => {
    expect(normalizePhone(value, country)).toBe(expected);
  });

  it('spells a number the ways a CRM may store it, without an extension', () => {
    expect(phoneSpellings('030 1234567 ext. 9', 'DE')).toEqual([
      '+49301234567',
      '+49 30 1234567',
      '030 1234567',
    ]);
    expect(phoneSpellings('not a number', 'DE')).toEqual([]);
  });
});

describe('withoutAccents', () => {
  it('keeps case and drops marks', () => {
    expect(withoutAccents('López Núñez')).toBe('Lopez Nunez');
  });
});
