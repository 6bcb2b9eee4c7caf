import type { CrmRecord, DuplicatePolicy } from '../domain/index.js';
import type { CandidatesByTable } from './candidates.js';
import { tablesInCheckOrder } from './duplicate-check-order.js';
import type { MatchSubject } from './match-subject.js';
import { missingEmailText, personIndex, subjectEmail, subjectName, type PersonName } from './person-keys.js';
import { joinWords, shortId, tableNoun } from './reason-text.js';
import { compareBy, describeOrder, pickRecord } from './record-ordering.js';
import type { PersonTable, SyncDecision } from './sync-decision.js';

type Key =
  { readonly by: 'email'; readonly value: string } | { readonly by: 'name'; readonly name: PersonName };

/**
 * Decides one lead under a duplicate policy (seed 003). `candidatesByTable` may hold the whole batch's
 * lookup results; only records whose email (or first and last name) equal the subject's after
 * normalisation count.
 *
 * Keys go before tables: with "email then name" every checked table is searched by email before any
 * is searched by name. The seed says duplicates are checked "by emails first and then by names", and
 * an exact email in the second table is far better evidence of the same person than a shared name in
 * the first. Within one key, tables are searched in the policy's order and the first table with a
 * match decides.
 *
 * A name match does not look at the record's email: a person who changed address is what the name
 * check exists for.
 */
export function decideByPolicy(
  policy: DuplicatePolicy,
  subject: MatchSubject,
  candidatesByTable: CandidatesByTable,
): SyncDecision {
  const tables = tablesInCheckOrder(policy.check);
  const email = subjectEmail(subject);
  const name = policy.keys === 'email_then_name' ? subjectName(subject) : undefined;
  const keys: Key[] = [];
  if (email !== undefined) keys.push({ by: 'email', value: email });
  if (name !== undefined) keys.push({ by: 'name', name });

  const searched: string[] = [];
  for (const key of keys) {
    const searchedTables: PersonTable[] = [];
    for (const table of tables) {
      const index = personIndex(candidatesByTable[table] ?? []);
      const matches =
        (key.by === 'email' ? index.byEmail.get(key.value) : index.byName.get(key.name.key)) ?? [];
      if (matches.length > 0) {
        const before = [...searched];
        if (key.by === 'name' && email === undefined) before.push(missingEmailText(subject));
        if (searchedTables.length > 0)
          before.push(`no ${joinWords(searchedTables, 'or')} has ${before.length > 0 ? keyText(key) : 'it'}`);
        return onDuplicate(policy, table, key, matches, before);
      }
      searchedTables.push(table);
    }
    searched.push(`no ${joinWords(tables, 'or')} has ${keyText(key)}`);
  }
  return onNoDuplicate(policy, subject, tables, email, name);
}

function onDuplicate(
  policy: DuplicatePolicy,
  table: PersonTable,
  key: Key,
  matches: readonly CrmRecord[],
  before: readonly string[],
): SyncDecision {
  const n = matches.length;
  const matchedBy = key.by;
  const context = before.length > 0 ? ` (${joinWords(before, 'and')})` : '';
  if (policy.onDuplicate === 'none') {
    // Named on the decision so the log can link to the record that already holds the person.
    const shown = [...matches].sort(compareBy('update_most_recently_updated'));
    const first = shown[0] as CrmRecord;
    const who =
      n === 1 ? `${table} ${shortId(first.id)} has` : `${n} ${tableNoun(table, n)} (${listIds(shown)}) have`;
    return {
      action: 'skip',
      table,
      recordId: first.id,
      matchedBy,
      candidates: n,
      reason: `Skipped: ${who} ${keyText(key)}${context} and the policy takes no action on duplicates.`,
    };
  }
  const chosen = pickRecord(matches, policy.onDuplicate) as CrmRecord;
  const which =
    n === 1
      ? `the only ${table} with ${keyText(key)}`
      : `the ${describeOrder(policy.onDuplicate)} of ${n} ${tableNoun(table, n)} with ${keyText(key)}`;
  return {
    action: 'update',
    table,
    recordId: chosen.id,
    matchedBy,
    candidates: n,
    reason: `Updated ${table} ${shortId(chosen.id)} — ${which}${context}.`,
  };
}

function onNoDuplicate(
  policy: DuplicatePolicy,
  subject: MatchSubject,
  tables: readonly PersonTable[],
  email: string | undefined,
  name: PersonName | undefined,
): SyncDecision {
  const where = joinWords(tables, 'or');
  let finding: string;
  if (email !== undefined && name !== undefined)
    finding = `no ${where} has email ${email} or the name ${name.display}`;
  else if (email !== undefined)
    finding =
      policy.keys === 'email'
        ? `no ${where} has email ${email}`
        : `no ${where} has email ${email}, and without both a first and a last name its name could not be checked`;
  else if (name !== undefined)
    finding = `no ${where} has the name ${name.display} (${missingEmailText(subject)})`;
  else
    finding =
      policy.keys === 'email'
        ? `${missingEmailText(subject)}, so no duplicate could be looked for`
        : `${missingEmailText(subject)} and no first and last name, so no duplicate could be looked for`;

  if (policy.create === 'none')
    return {
      action: 'skip',
      candidates: 0,
      reason: `Skipped: ${finding}, and the policy creates no new record.`,
    };
  return {
    action: 'create',
    table: policy.create,
    candidates: 0,
    reason: `Created a ${policy.create}: ${finding}.`,
  };
}

function keyText(key: Key): string {
  return key.by === 'email' ? `email ${key.value}` : `the name ${key.name.display}`;
}

function listIds(records: readonly CrmRecord[]): string {
  const shown = records.slice(0, 3).map((record) => shortId(record.id));
  if (records.length > 3) shown.push(`${records.length - 3} more`);
  return joinWords(shown, 'and');
}
