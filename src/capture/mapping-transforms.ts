import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { MappingTransform } from '../domain/index.js';
import { formatCountry, resolveCountry } from './country-codes.js';
import { quoteValue } from './value-text.js';

/** A transform's result: the new text, or a sentence (without column or field) saying why not. */
export type TransformOutcome =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: string };

/** Runs the transforms in order on the text; the first failure stops the chain. */
export function applyTransforms(value: string, transforms: readonly MappingTransform[]): TransformOutcome {
  let current = value;
  for (const transform of transforms) {
    const outcome = applyTransform(current, transform);
    if (!outcome.ok) return outcome;
    current = outcome.value;
  }
  return { ok: true, value: current };
}

export function applyTransform(value: string, transform: MappingTransform): TransformOutcome {
  switch (transform.kind) {
    case 'trim':
      return { ok: true, value: value.trim() };
    case 'case':
      return { ok: true, value: changeCase(value, transform.to) };
    case 'split_full_name':
      return { ok: true, value: splitFullName(value, transform.part) };
    case 'phone_e164':
      return toE164(value, transform.defaultCountry);
    case 'country': {
      const alpha2 = resolveCountry(value);
      return alpha2 === undefined
        ? { ok: false, problem: `${quoteValue(value)} is not a country name or ISO code` }
        : { ok: true, value: formatCountry(alpha2, transform.to) };
    }
  }
}

function changeCase(value: string, to: 'upper' | 'lower' | 'title'): string {
  if (to === 'upper') return value.toUpperCase();
  if (to === 'lower') return value.toLowerCase();
  // A letter starts a word after a space, a hyphen or an apostrophe: "anne-marie o'neill" → "Anne-Marie O'Neill".
  return value.toLowerCase().replace(/(^|[\s\-'’])(\p{L})/gu, (_, before: string, letter: string) => {
    return before + letter.toUpperCase();
  });
}

/** "Jan van der Berg" → first "Jan", last "van der Berg"; a single word is only a first name. */
export function splitFullName(value: string, part: 'first' | 'last'): string {
  const words = value
    .trim()
    .split(/\s+/u)
    .filter((word) => word !== '');
  return part === 'first' ? (words[0] ?? '') : words.slice(1).join(' ');
}

export const isPhoneCountry = (code: string): boolean => isSupportedCountry(code);

function toE164(value: string, defaultCountry: string | undefined): TransformOutcome {
  if (defaultCountry !== undefined && !isSupportedCountry(defaultCountry))
    return { ok: false, problem: `the default phone country ${quoteValue(defaultCountry)} is not known` };
  const phone = parsePhoneNumberFromString(value, defaultCountry as CountryCode | undefined);
  if (phone?.isValid()) return { ok: true, value: phone.number };
  const hint =
    defaultCountry === undefined && !value.trim().startsWith('+')
      ? ' (it has no country code and the transform names no default country)'
      : '';
  return { ok: false, problem: `${quoteValue(value)} is not a valid phone number${hint}` };
}
