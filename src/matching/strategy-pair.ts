import type { CrmRecord, StrategyFieldPair } from '../domain/index.js';
import {
  emailKey,
  normalizeName,
  normalizePhone,
  phoneSpellings,
  tidyText,
  withoutAccents,
} from './normalize.js';

/**
 * How one field pair of a matching strategy (seed 001) compares its two values. The CRM column says
 * what the values are: Dataverse names its email columns `emailaddress*` and its phone columns
 * `telephone*`, `mobilephone`, `fax`, `pager`; a custom column is recognised by the same words.
 */
export type PairValueKind = 'email' | 'phone' | 'text';

export function pairValueKind(crmColumn: string): PairValueKind {
  const column = crmColumn.toLowerCase();
  if (column.includes('email')) return 'email';
  if (/phone|fax|pager/.test(column)) return 'phone';
  return 'text';
}

/** A value ready to compare; `undefined` when empty (an empty value matches nothing). */
interface Comparable {
  /** Normalised email, E.164 phone, or normalised text. */
  readonly key?: string | undefined;
  /** Phones only: the digits, for when a number cannot be parsed (no country code, no default country). */
  readonly digits?: string | undefined;
}

function comparable(
  value: unknown,
  kind: PairValueKind,
  defaultCountry: string | undefined,
): Comparable | undefined {
  switch (kind) {
    case 'email': {
      const key = emailKey(value);
      return key === undefined ? undefined : { key };
    }
    case 'phone': {
      const text = tidyText(value);
      const digits = text?.replace(/\D/gu, '') ?? '';
      if (digits === '') return undefined;
      return { key: normalizePhone(text, defaultCountry), digits };
    }
    case 'text': {
      const key = normalizeName(value);
      return key === undefined ? undefined : { key };
    }
  }
}

function sameValue(kind: PairValueKind, a: Comparable, b: Comparable): boolean {
  if (kind !== 'phone') return a.key === b.key;
  // E.164 when both parse, so "+49 30 1234567" equals "030 1234567" under DE; otherwise the digits, so
  // "030/1234567" still equals "030 123 4567" when no default country is configured.
  if (a.key !== undefined && b.key !== undefined) return a.key === b.key;
  return a.digits === b.digits;
}

/** The subject's side of each pair, computed once per decision. */
export interface SourcePairValue {
  readonly pair: StrategyFieldPair;
  readonly kind: PairValueKind;
  readonly value: Comparable | undefined;
  /** The source value as typed, trimmed; absent when blank. */
  readonly text: string | undefined;
}

export function sourcePairValue(
  pair: StrategyFieldPair,
  sourceValues: Readonly<Record<string, unknown>>,
  defaultCountry: string | undefined,
): SourcePairValue {
  const kind = pairValueKind(pair.crmColumn);
  const raw = sourceValues[pair.sourceField];
  return { pair, kind, value: comparable(raw, kind, defaultCountry), text: tidyText(raw) };
}

// Phone parsing is the expensive part of a decision, and a batch decides against the same candidate
// records once per subject: remember each record's comparable values.
const recordValues = new WeakMap<CrmRecord, Map<string, Comparable | undefined>>();

export function pairMatches(
  source: SourcePairValue,
  record: CrmRecord,
  defaultCountry: string | undefined,
): boolean {
  if (source.value === undefined) return false;
  let values = recordValues.get(record);
  if (!values) {
    values = new Map();
    recordValues.set(record, values);
  }
  const cacheKey = `${source.pair.crmColumn}\u0000${source.kind}\u0000${defaultCountry ?? ''}`;
  if (!values.has(cacheKey))
    values.set(cacheKey, comparable(record.values[source.pair.crmColumn], source.kind, defaultCountry));
  const other = values.get(cacheKey);
  return other !== undefined && sameValue(source.kind, source.value, other);
}

/**
 * What to send to the CRM for one pair. Dataverse's `In` compares exact strings, case-insensitively,
 * so the values are the spellings a record may hold: emails normalised; phones in E.164,
 * international and national format plus as typed; text as typed and without accents. A phone stored
 * as "030/1234567" is not found this way; every pair is queried, so a lead that also matches on
 * another pair's column is still found.
 */
export function queryValuesFor(
  source: SourcePairValue,
  defaultCountry: string | undefined,
): readonly string[] {
  if (source.value === undefined || source.text === undefined) return [];
  switch (source.kind) {
    case 'email':
      return source.value.key === undefined ? [] : [source.value.key];
    case 'phone':
      return [...phoneSpellings(source.text, defaultCountry), source.text];
    case 'text':
      return [source.text, withoutAccents(source.text)];
  }
}
