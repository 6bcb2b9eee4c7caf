import type { DuplicateAction, DuplicatePolicy } from '../../../src/domain/index.js';
import type { SyncHarness } from './lead-sync-support.js';

/**
 * The small CRM world each duplicate-policy combination runs in, and what seed 003 says must happen
 * to each of the four people captured into it.
 *
 * Combination n owns these records (names and emails carry n, so combinations never meet):
 * - leads A–D and contacts E–F with the email same.p<n>@dup.test, with histories chosen so that each
 *   ordering picks a different record: leads — most recently created D, least recently created A,
 *   most recently modified B, least recently modified C; contacts — most recently created F, least
 *   recently created E, most recently modified E, least recently modified F;
 * - lead G and contact H named "Nora Name<n>", each with an email of its own;
 * - contact I with the email cora.p<n>@dup.test and no lead with it.
 */
export type Letter = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I';
type Table = 'lead' | 'contact';

/** Who is captured: same email as A–F, same name as G/H, an email only contact I has, a stranger. */
export const PEOPLE = ['same_email', 'same_name', 'contact_email', 'new_person'] as const;
export type Person = (typeof PEOPLE)[number];

const LETTERS: readonly Letter[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'];

/** Days after 2024-01-01 each record was created and last modified. */
const HISTORY: Record<Letter, { table: Table; created: number; modified: number }> = {
  A: { table: 'lead', created: 1, modified: 30 },
  B: { table: 'lead', created: 2, modified: 40 },
  C: { table: 'lead', created: 3, modified: 10 },
  D: { table: 'lead', created: 4, modified: 20 },
  E: { table: 'contact', created: 1, modified: 20 },
  F: { table: 'contact', created: 2, modified: 10 },
  G: { table: 'lead', created: 1, modified: 1 },
  H: { table: 'contact', created: 1, modified: 1 },
  I: { table: 'contact', created: 1, modified: 1 },
};

/** Which record of several with the same email each action picks; "none" names the most recently modified. */
const PICK: Record<Table, Record<DuplicateAction, Letter>> = {
  lead: {
    update_most_recently_created: 'D',
    update_least_recently_created: 'A',
    update_most_recently_updated: 'B',
    update_least_recently_updated: 'C',
    none: 'B',
  },
  contact: {
    update_most_recently_created: 'F',
    update_least_recently_created: 'E',
    update_most_recently_updated: 'E',
    update_least_recently_updated: 'F',
    none: 'E',
  },
};

/** Per person, key and table: the record that holds it ("pick" = one of several, by the action). */
const HOLDERS: Record<Person, Record<'email' | 'name', Partial<Record<Table, Letter | 'pick'>>>> = {
  same_email: { email: { lead: 'pick', contact: 'pick' }, name: { lead: 'pick', contact: 'pick' } },
  same_name: { email: {}, name: { lead: 'G', contact: 'H' } },
  contact_email: { email: { contact: 'I' }, name: { contact: 'I' } },
  new_person: { email: {}, name: {} },
};

const ORDER: Record<DuplicatePolicy['check'], readonly Table[]> = {
  leads: ['lead'],
  contacts: ['contact'],
  contacts_then_leads: ['contact', 'lead'],
  leads_then_contacts: ['lead', 'contact'],
};

export type ExpectedOutcome =
  | { outcome: 'updated'; table: Table; record: Letter }
  | { outcome: 'skipped'; table: Table; record: Letter }
  | { outcome: 'skipped'; table?: undefined; record?: undefined }
  | { outcome: 'created'; table: Table; record?: undefined };

/** Seed 003: keys in order (email, then name), tables in the policy's order within each key. */
export function expectedOutcome(policy: DuplicatePolicy, person: Person): ExpectedOutcome {
  const keys = policy.keys === 'email' ? (['email'] as const) : (['email', 'name'] as const);
  for (const key of keys)
    for (const table of ORDER[policy.check]) {
      const holder = HOLDERS[person][key][table];
      if (holder === undefined) continue;
      const record = holder === 'pick' ? PICK[table][policy.onDuplicate] : holder;
      return policy.onDuplicate === 'none'
        ? { outcome: 'skipped', table, record }
        : { outcome: 'updated', table, record };
    }
  return policy.create === 'none' ? { outcome: 'skipped' } : { outcome: 'created', table: policy.create };
}

export interface CombinationWorld {
  readonly rows: readonly {
    table: Table;
    id: string;
    values: Record<string, unknown>;
    createdOn: string;
    modifiedOn: string;
  }[];
  /** The capture body: the four people, in PEOPLE order. */
  readonly captures: readonly Record<string, string>[];
  id(letter: Letter): string;
  /** The job title a person's capture carries, to recognise the record it was written to. */
  tag(person: Person): string;
  /** A person's email as the CRM should hold it (the mapping lower-cases it). */
  email(person: Person): string;
  /** `table:id:jobtitle` of every emulator row carrying one of this combination's tags. */
  rowsTouched(h: SyncHarness): string[];
}

const day = (d: number) => `${new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 19)}Z`;

export function combinationWorld(n: number): CombinationWorld {
  const id = (letter: Letter) =>
    `00000000-0000-4000-8000-${(n * 16 + LETTERS.indexOf(letter)).toString(16).padStart(12, '0')}`;
  const people: Record<Person, { email: string; firstName: string; lastName: string }> = {
    same_email: { email: `same.p${n}@dup.test`, firstName: 'Sam', lastName: `Same${n}` },
    same_name: { email: `nora.new.p${n}@dup.test`, firstName: 'Nora', lastName: `Name${n}` },
    contact_email: { email: `cora.p${n}@dup.test`, firstName: 'Cora', lastName: `Only${n}` },
    new_person: { email: `neil.p${n}@dup.test`, firstName: 'Neil', lastName: `New${n}` },
  };
  const existing: Record<Letter, { emailaddress1: string; firstname: string; lastname: string }> = {
    A: record(people.same_email),
    B: record(people.same_email),
    C: record(people.same_email),
    D: record(people.same_email),
    E: record(people.same_email),
    F: record(people.same_email),
    G: record({ ...people.same_name, email: `nora.lead.p${n}@dup.test` }),
    H: record({ ...people.same_name, email: `nora.contact.p${n}@dup.test` }),
    I: record(people.contact_email),
  };
  const tag = (person: Person) => `p${n}-${person}`;
  return {
    rows: LETTERS.map((letter) => {
      const { table, created, modified } = HISTORY[letter];
      return {
        table,
        id: id(letter),
        values: {
          [`${table}id`]: id(letter),
          ...existing[letter],
          jobtitle: 'seeded',
          ...(table === 'lead' && { subject: `Seeded ${letter}` }),
        },
        createdOn: day(created),
        modifiedOn: day(modified),
      };
    }),
    // The first one is typed the way people type: case and spaces must not hide the duplicate.
    captures: PEOPLE.map((person) => ({
      ...people[person],
      ...(person === 'same_email' && { email: ` SAME.P${n}@Dup.Test ` }),
      jobTitle: tag(person),
    })),
    id,
    tag,
    email: (person) => people[person].email,
    rowsTouched: (h) =>
      (['lead', 'contact'] as const).flatMap((table) =>
        h
          .rows(table)
          .filter((row) => String(row['jobtitle']).startsWith(`p${n}-`))
          .map((row) => `${table}:${String(row[`${table}id`])}:${String(row['jobtitle'])}`),
      ),
  };
}

function record(person: { email: string; firstName: string; lastName: string }) {
  return { emailaddress1: person.email, firstname: person.firstName, lastname: person.lastName };
}
