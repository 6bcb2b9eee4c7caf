import type { CrmRecord } from '../domain/index.js';
import { EMAIL_COLUMN, FIRST_NAME_COLUMN, LAST_NAME_COLUMN, type MatchSubject } from './match-subject.js';
import { emailKey, normalizeName, tidyText } from './normalize.js';

/** A subject's full name as a duplicate key: both parts are needed, a last name alone joins strangers. */
export interface PersonName {
  readonly key: string;
  /** As the source spelled it, for reasons: "Ana López". */
  readonly display: string;
  /** Trimmed original spelling, for the CRM query. */
  readonly lastName: string;
}

export function subjectEmail(subject: MatchSubject): string | undefined {
  return emailKey(subject.email);
}

export function subjectName(subject: MatchSubject): PersonName | undefined {
  const first = normalizeName(subject.firstName);
  const last = normalizeName(subject.lastName);
  const firstText = tidyText(subject.firstName);
  const lastText = tidyText(subject.lastName);
  if (first === undefined || last === undefined || firstText === undefined || lastText === undefined)
    return undefined;
  return { key: nameKey(first, last), display: `${firstText} ${lastText}`, lastName: lastText };
}

/** Why a subject has no usable email, phrased to follow "Created a lead: ". */
export function missingEmailText(subject: MatchSubject): string {
  const email = tidyText(subject.email);
  return email === undefined ? 'it has no email' : `its email '${email}' is not a valid address`;
}

function nameKey(first: string, last: string): string {
  return `${first}\u0000${last}`;
}

interface PersonIndex {
  readonly byEmail: ReadonlyMap<string, readonly CrmRecord[]>;
  readonly byName: ReadonlyMap<string, readonly CrmRecord[]>;
}

// A batch's candidate list is decided against once per subject; indexing it once per list keeps a
// batch of n subjects at O(n) instead of normalising every candidate n times. Lists are read-only
// data, so caching by identity is safe.
const indexes = new WeakMap<readonly CrmRecord[], PersonIndex>();

export function personIndex(records: readonly CrmRecord[]): PersonIndex {
  const cached = indexes.get(records);
  if (cached) return cached;
  const byEmail = new Map<string, CrmRecord[]>();
  const byName = new Map<string, CrmRecord[]>();
  const seen = new Set<string>();
  for (const record of records) {
    const id = record.id.toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    const email = emailKey(record.values[EMAIL_COLUMN]);
    if (email !== undefined) push(byEmail, email, record);
    const first = normalizeName(record.values[FIRST_NAME_COLUMN]);
    const last = normalizeName(record.values[LAST_NAME_COLUMN]);
    if (first !== undefined && last !== undefined) push(byName, nameKey(first, last), record);
  }
  const index = { byEmail, byName };
  indexes.set(records, index);
  return index;
}

function push(map: Map<string, CrmRecord[]>, key: string, record: CrmRecord): void {
  const list = map.get(key);
  if (list) list.push(record);
  else map.set(key, [record]);
}
