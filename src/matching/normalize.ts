// The "max" metadata checks digit patterns, not only lengths: with the default "min" build "12345" counts
// as a valid German number, and matching on such a number would join unrelated people.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * The one place where values become comparable keys. Every function takes `unknown` because CRM
 * values and source payloads arrive untyped, and answers `undefined` for "nothing to compare", so an
 * empty value can never equal another empty value.
 */

export interface EmailNormalizeOptions {
  /**
   * Gmail ignores dots in the local part and treats googlemail.com as gmail.com. Off by default: it is
   * true of one provider only, and a CRM lookup by `In(...)` would not find the dotted spelling anyway.
   */
  readonly gmailDots?: boolean;
  /** Drop a `+tag` from the local part. Off by default: not every mail server delivers `a+b@` to `a@`. */
  readonly plusAddressing?: boolean;
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export function normalizeEmail(value: unknown, options: EmailNormalizeOptions = {}): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Local parts are case-sensitive by RFC 5321, but no mainstream provider treats them so, and
  // Dataverse compares case-insensitively: lower case is what users mean by "the same address".
  const email = value.trim().normalize('NFC').toLowerCase();
  if (email === '') return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0 || (!options.gmailDots && !options.plusAddressing)) return email;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (options.plusAddressing) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (options.gmailDots && GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

// Deliberately loose (one @, a dotted domain, no spaces): it only keeps placeholders such as "n/a",
// "-" or "none" from becoming a duplicate key that joins everyone who typed the same placeholder.
const PLAUSIBLE_EMAIL = /^[^\s@]{1,64}@(?=.{1,253}$)[^\s@.]+(\.[^\s@.]+)+$/u;

export function isPlausibleEmail(value: string): boolean {
  return PLAUSIBLE_EMAIL.test(value.trim());
}

/** An email worth matching on: normalised and plausible, otherwise `undefined`. */
export function emailKey(value: unknown, options?: EmailNormalizeOptions): string | undefined {
  const email = normalizeEmail(value, options);
  return email !== undefined && isPlausibleEmail(email) ? email : undefined;
}

// Letters NFD does not decompose but people still write without the "accent": "Łukasz"/"Lukasz",
// "Søren"/"Soren". Applied after case folding, so lower case is enough.
const UNDECOMPOSED_LETTERS: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};
const UNDECOMPOSED = new RegExp(`[${Object.keys(UNDECOMPOSED_LETTERS).join('')}]`, 'gu');
// "O’Brien" typed on a phone and "O'Brien" typed on a keyboard are the same name.
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/gu;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2212]/gu;

export function normalizeName(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string') return undefined;
  const name = value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    // Upper then lower case is full case folding for what names need: "ß" → "SS" → "ss".
    .toUpperCase()
    .toLowerCase()
    .replace(UNDECOMPOSED, (letter) => UNDECOMPOSED_LETTERS[letter] ?? letter)
    .replace(APOSTROPHES, "'")
    .replace(DASHES, '-')
    .replace(/\s+/gu, ' ')
    .trim();
  return name === '' ? undefined : name;
}

/** The value as a person typed it, minus surrounding and doubled whitespace; what CRM queries send. */
export function tidyText(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.normalize('NFC').replace(/\s+/gu, ' ').trim();
  return text === '' ? undefined : text;
}

/** `text` without accents but with its case, e.g. "López" → "Lopez"; for queries, not for comparing. */
export function withoutAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

export function toCountryCode(country: string | undefined): CountryCode | undefined {
  const code = country?.trim().toUpperCase();
  return code !== undefined && isSupportedCountry(code) ? code : undefined;
}

/** E.164 (`+49301234567`), or `undefined` when the value is not a valid phone number. */
export function normalizePhone(value: unknown, defaultCountry?: string): string | undefined {
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const country = toCountryCode(defaultCountry);
  const phone = parsePhoneNumberFromString(value, country === undefined ? {} : { defaultCountry: country });
  return phone?.isValid() ? phone.number : undefined;
}

/** The spellings a CRM may have stored for one number: E.164, international and national format. */
export function phoneSpellings(value: unknown, defaultCountry?: string): readonly string[] {
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string' || value.trim() === '') return [];
  const country = toCountryCode(defaultCountry);
  const phone = parsePhoneNumberFromString(value, country === undefined ? {} : { defaultCountry: country });
  if (!phone?.isValid()) return [];
  // Re-parsed from E.164 so that an extension typed in the source ("ext. 12") stays out of the spellings.
  const plain = parsePhoneNumberFromString(phone.number) ?? phone;
  return [plain.number, plain.formatInternational(), plain.formatNational()];
}
