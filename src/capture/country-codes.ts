import countries from 'i18n-iso-countries';
// Under Node the package's CommonJS entry registers every locale itself, but registering the two we
// rely on keeps this working in bundles that load the browser entry (which registers none).
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(en);
countries.registerLocale(de);

export type CountryFormat = 'name' | 'iso2' | 'iso3';

/**
 * The ISO 3166-1 alpha-2 code for an ISO2 or ISO3 code or an English or German country name
 * ("DE", "deu", "Germany", "Deutschland", "Österreich", "osterreich", "UK"), or undefined.
 */
export function resolveCountry(input: string): string | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  const upper = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && countries.alpha2ToAlpha3(upper) !== undefined) return upper;
  if (/^[A-Z]{3}$/.test(upper)) {
    const alpha2 = countries.alpha3ToAlpha2(upper);
    if (alpha2 !== undefined) return alpha2;
  }
  for (const lang of ['en', 'de'])
    for (const lookup of [countries.getAlpha2Code, countries.getSimpleAlpha2Code]) {
      const alpha2 = lookup(text, lang);
      if (alpha2 !== undefined) return alpha2;
    }
  return undefined;
}

/** Formats an alpha-2 code as the CRM column wants it; names are the English official names. */
export function formatCountry(alpha2: string, to: CountryFormat): string {
  if (to === 'iso2') return alpha2;
  if (to === 'iso3') return countries.alpha2ToAlpha3(alpha2) ?? alpha2;
  return countries.getName(alpha2, 'en', { select: 'official' }) ?? alpha2;
}
