import type { CrmRecordQuery, DuplicatePolicy } from '../domain/index.js';
import { tablesInCheckOrder } from './duplicate-check-order.js';
import { EMAIL_COLUMN, LAST_NAME_COLUMN, PERSON_COLUMNS, type MatchSubject } from './match-subject.js';
import { withoutAccents } from './normalize.js';
import { subjectEmail, subjectName } from './person-keys.js';
import type { StrategyRule } from './strategy-decision.js';
import { queryValuesFor, sourcePairValue } from './strategy-pair.js';

/**
 * The CRM lookups a batch needs before it can be decided (DESIGN.md §4 step 4): one query per table
 * and column carrying the distinct values of the whole batch, so 1,000 leads cost a handful of
 * requests instead of a thousand. Values land in a URL (`Microsoft.Dynamics.CRM.In(...)`), hence the
 * chunks. Everything is planned up front, names included, so the batch needs one round trip; the
 * decisions then pick each subject's records out of the shared results.
 */
export const DEFAULT_MAX_VALUES_PER_QUERY = 100;

export interface LookupPlanOptions {
  readonly maxValuesPerQuery?: number | undefined;
  /** For strategies with phone pairs: the country of numbers written without a country code. */
  readonly defaultCountry?: string | undefined;
}

export type MatchRule = DuplicatePolicy | StrategyRule;

export function planLookups(
  subjects: readonly MatchSubject[],
  rule: MatchRule,
  options: LookupPlanOptions = {},
): CrmRecordQuery[] {
  return 'pairs' in rule
    ? planStrategyLookups(subjects, rule, options)
    : planPolicyLookups(subjects, rule, options);
}

/**
 * Emails are sent normalised (Dataverse compares case-insensitively, so lower case loses nothing).
 * Last names are sent as typed (trimmed) and without accents: Dataverse is not accent-insensitive, so
 * the accent-free spelling is what finds a CRM "Lopez" for a lead typed "López". The reverse (CRM
 * "López", lead typed "Lopez") no `In` query can find. First and last name are compared normalised in
 * memory. Only subjects with both names are queried: a last name alone is no key.
 *
 * A policy that neither updates nor creates still gets its lookups: the skip is certain, but its reason
 * ("contact 9b1… has this email" or "no record has it") is what a person reads in the sync log.
 */
export function planPolicyLookups(
  subjects: readonly MatchSubject[],
  policy: DuplicatePolicy,
  options: LookupPlanOptions = {},
): CrmRecordQuery[] {
  const emails = new DistinctValues();
  const lastNames = new DistinctValues();
  for (const subject of subjects) {
    emails.add(subjectEmail(subject));
    if (policy.keys === 'email_then_name') {
      const name = subjectName(subject);
      if (name) {
        lastNames.add(name.lastName);
        lastNames.add(withoutAccents(name.lastName));
      }
    }
  }
  const limit = maxValues(options);
  return tablesInCheckOrder(policy.check).flatMap((table) => [
    ...chunked({ table, column: EMAIL_COLUMN, select: PERSON_COLUMNS }, emails.values, limit),
    ...chunked({ table, column: LAST_NAME_COLUMN, select: PERSON_COLUMNS }, lastNames.values, limit),
  ]);
}

/**
 * Strategies look at leads only. Every pair's column is queried, not just one: a lead that matches
 * every pair is found as soon as one of its columns holds a spelling we sent, and the partial matches
 * found on the other columns let the reason say which pair failed.
 */
export function planStrategyLookups(
  subjects: readonly MatchSubject[],
  strategy: StrategyRule,
  options: LookupPlanOptions = {},
): CrmRecordQuery[] {
  const byColumn = new Map<string, DistinctValues>();
  for (const pair of strategy.pairs)
    if (!byColumn.has(pair.crmColumn)) byColumn.set(pair.crmColumn, new DistinctValues());
  for (const subject of subjects) {
    // A subject with an empty pair can match no lead (all pairs must match): it adds nothing.
    const sources = strategy.pairs.map((pair) =>
      sourcePairValue(pair, subject.sourceValues, options.defaultCountry),
    );
    if (sources.some((source) => source.value === undefined)) continue;
    for (const source of sources)
      for (const value of queryValuesFor(source, options.defaultCountry))
        byColumn.get(source.pair.crmColumn)?.add(value);
  }
  const select = [...new Set([...PERSON_COLUMNS, ...byColumn.keys()])];
  const limit = maxValues(options);
  return [...byColumn].flatMap(([column, values]) =>
    chunked({ table: 'lead', column, select }, values.values, limit),
  );
}

function maxValues(options: LookupPlanOptions): number {
  const limit = options.maxValuesPerQuery ?? DEFAULT_MAX_VALUES_PER_QUERY;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`maxValuesPerQuery must be a positive integer, not ${limit}.`);
  return limit;
}

function chunked(
  query: Omit<CrmRecordQuery, 'values'>,
  values: readonly string[],
  limit: number,
): CrmRecordQuery[] {
  const queries: CrmRecordQuery[] = [];
  for (let start = 0; start < values.length; start += limit)
    queries.push({ ...query, values: values.slice(start, start + limit) });
  return queries;
}

/** Values in first-seen order, each once as Dataverse sees it (case-insensitively). */
class DistinctValues {
  readonly values: string[] = [];
  readonly #seen = new Set<string>();

  add(value: string | undefined): void {
    if (value === undefined || value === '') return;
    const key = value.toLowerCase();
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.values.push(value);
  }
}
