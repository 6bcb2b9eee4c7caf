import { describe, expect, it } from 'vitest';
import type {
  CreateAction,
  CrmRecord,
  DuplicateAction,
  DuplicateCheck,
  DuplicateKeys,
  DuplicatePolicy,
} from '../domain/index.js';
import { groupCandidates, type CandidatesByTable } from './candidates.js';
import { decideByPolicy } from './duplicate-policy-decision.js';
import type { MatchSubject } from './match-subject.js';
import { plannedReason } from './planned-reason.js';
import type { PersonTable } from './sync-decision.js';

const record = (
  table: PersonTable,
  id: string,
  createdOn: string,
  modifiedOn: string,
  values: Record<string, unknown>,
): CrmRecord => ({ table, id, createdOn, modifiedOn, values });

const guid = (prefix: string): string => `${prefix}-0000-4000-8000-000000000000`;
const short = (id: string): string => `${id.slice(0, 8)}…`;

// One fixed world holding the records of four subjects at once, as one batch's lookups return them.
const W = {
  // Ana: email in two leads and three contacts. Created and modified orders differ on purpose.
  leadA1: record('lead', guid('aa000001'), '2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z', {
    emailaddress1: 'Ana@X.com ',
  }),
  leadA2: record('lead', guid('aa000002'), '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z', {
    emailaddress1: 'ana@x.com',
  }),
  contactA1: record('contact', guid('ca000009'), '2023-05-01T00:00:00Z', '2024-02-01T00:00:00Z', {
    emailaddress1: 'ana@x.com',
  }),
  contactA2: record('contact', guid('ca000005'), '2023-01-01T00:00:00Z', '2024-05-01T00:00:00Z', {
    emailaddress1: 'ANA@x.com',
  }),
  // Created at the same instant as contactA1 (written with an offset): the smaller id wins the tie.
  contactA3: record('contact', guid('ca000001'), '2023-05-01T02:00:00+02:00', '2023-06-01T00:00:00Z', {
    emailaddress1: 'ana@x.com',
  }),
  // Ben: email only in a contact; his name in two leads with other (or no) email.
  contactB1: record('contact', guid('cb000001'), '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z', {
    emailaddress1: 'BEN@x.com',
    firstname: 'Benjamin',
    lastname: 'Olsen',
  }),
  leadB1: record('lead', guid('ab000001'), '2022-01-01T00:00:00Z', '2024-01-01T00:00:00Z', {
    emailaddress1: 'ben.olsen@old.example',
    firstname: 'Ben',
    lastname: 'Olsen',
  }),
  leadB2: record('lead', guid('ab000002'), '2022-02-01T00:00:00Z', '2022-03-01T00:00:00Z', {
    emailaddress1: null,
    firstname: ' ben ',
    lastname: 'OLSEN',
  }),
  // Cleo: no email anywhere, her name in one lead and one contact.
  leadC1: record('lead', guid('ac000001'), '2021-01-01T00:00:00Z', '2021-01-01T00:00:00Z', {
    emailaddress1: 'cleo@old.example',
    firstname: 'cleo',
    lastname: 'park',
  }),
  contactC1: record('contact', guid('cc000001'), '2021-01-01T00:00:00Z', '2021-01-01T00:00:00Z', {
    emailaddress1: 'c.park@elsewhere.example',
    firstname: 'Cleo',
    lastname: '  Park',
  }),
};

const world: CandidatesByTable = groupCandidates([Object.values(W)]);

const subject = (email: string | undefined, firstName?: string, lastName?: string): MatchSubject => ({
  email,
  firstName,
  lastName,
  fields: {},
  sourceValues: {},
});

interface Found {
  readonly table: PersonTable;
  readonly by: 'email' | 'name';
  readonly key: string;
  /** The record each duplicate action picks from the matched set. */
  readonly pick: Readonly<Record<Exclude<DuplicateAction, 'none'>, CrmRecord>>;
  /** The record a skip names: the most recently modified. */
  readonly shown: CrmRecord;
  readonly count: number;
}

const anaLeads: Found = {
  table: 'lead',
  by: 'email',
  key: 'email ana@x.com',
  count: 2,
  pick: {
    update_most_recently_created: W.leadA2,
    update_least_recently_created: W.leadA1,
    update_most_recently_updated: W.leadA1,
    update_least_recently_updated: W.leadA2,
  },
  shown: W.leadA1,
};
const anaContacts: Found = {
  table: 'contact',
  by: 'email',
  key: 'email ana@x.com',
  count: 3,
  pick: {
    update_most_recently_created: W.contactA3,
    update_least_recently_created: W.contactA2,
    update_most_recently_updated: W.contactA2,
    update_least_recently_updated: W.contactA3,
  },
  shown: W.contactA2,
};
const single = (r: CrmRecord, by: 'email' | 'name', key: string): Found => ({
  table: r.table as PersonTable,
  by,
  key,
  count: 1,
  pick: {
    update_most_recently_created: r,
    update_least_recently_created: r,
    update_most_recently_updated: r,
    update_least_recently_updated: r,
  },
  shown: r,
});
const benContact = single(W.contactB1, 'email', 'email ben@x.com');
const benLeads: Found = {
  table: 'lead',
  by: 'name',
  key: 'the name Ben Olsen',
  count: 2,
  pick: {
    update_most_recently_created: W.leadB2,
    update_least_recently_created: W.leadB1,
    update_most_recently_updated: W.leadB1,
    update_least_recently_updated: W.leadB2,
  },
  shown: W.leadB1,
};
const cleoLead = single(W.leadC1, 'name', 'the name Cleo Park');
const cleoContact = single(W.contactC1, 'name', 'the name Cleo Park');

type Expected = Readonly<Record<DuplicateCheck, Readonly<Record<DuplicateKeys, Found | undefined>>>>;

const scenarios: readonly { name: string; subject: MatchSubject; email: string; expected: Expected }[] = [
  {
    name: 'Ana (email in leads and contacts)',
    subject: subject('ana@x.com', 'Ana', 'López'),
    email: 'ana@x.com',
    expected: {
      leads: { email: anaLeads, email_then_name: anaLeads },
      contacts: { email: anaContacts, email_then_name: anaContacts },
      contacts_then_leads: { email: anaContacts, email_then_name: anaContacts },
      leads_then_contacts: { email: anaLeads, email_then_name: anaLeads },
    },
  },
  {
    name: 'Ben (email in a contact, name in leads)',
    subject: subject(' Ben@X.com', 'Ben', 'Olsen'),
    email: 'ben@x.com',
    expected: {
      leads: { email: undefined, email_then_name: benLeads },
      contacts: { email: benContact, email_then_name: benContact },
      contacts_then_leads: { email: benContact, email_then_name: benContact },
      // Email goes before name across all tables: the contact's email beats the leads' name.
      leads_then_contacts: { email: benContact, email_then_name: benContact },
    },
  },
  {
    name: 'Cleo (name only)',
    subject: subject('cleo@new.example', 'Cleo', 'Park'),
    email: 'cleo@new.example',
    expected: {
      leads: { email: undefined, email_then_name: cleoLead },
      contacts: { email: undefined, email_then_name: cleoContact },
      contacts_then_leads: { email: undefined, email_then_name: cleoContact },
      leads_then_contacts: { email: undefined, email_then_name: cleoLead },
    },
  },
  {
    name: 'Dan (unknown)',
    subject: subject('dan@x.com', 'Dan', 'Reyes'),
    email: 'dan@x.com',
    expected: {
      leads: { email: undefined, email_then_name: undefined },
      contacts: { email: undefined, email_then_name: undefined },
      contacts_then_leads: { email: undefined, email_then_name: undefined },
      leads_then_contacts: { email: undefined, email_then_name: undefined },
    },
  },
];

const CHECKS: readonly DuplicateCheck[] = ['leads', 'contacts', 'contacts_then_leads', 'leads_then_contacts'];
const KEYS: readonly DuplicateKeys[] = ['email', 'email_then_name'];
const ACTIONS: readonly DuplicateAction[] = [
  'update_most_recently_created',
  'update_most_recently_updated',
  'update_least_recently_created',
  'update_least_recently_updated',
  'none',
];
const CREATES: readonly CreateAction[] = ['lead', 'contact', 'none'];

const policies: DuplicatePolicy[] = CHECKS.flatMap((check) =>
  KEYS.flatMap((keys) =>
    ACTIONS.flatMap((onDuplicate) => CREATES.map((create) => ({ check, keys, onDuplicate, create }))),
  ),
);

describe('decideByPolicy: every check × keys × duplicate action × create action', () => {
  it('covers all 120 policies', () => {
    expect(new Set(policies.map((p) => JSON.stringify(p))).size).toBe(120);
  });

  const cases = policies.flatMap((policy) => scenarios.map((scenario) => ({ policy, scenario })));
  it.each(cases)(
    '$policy.check / $policy.keys / $policy.onDuplicate / create $policy.create — $scenario.name',
    ({ policy, scenario }) => {
      const decision = decideByPolicy(policy, scenario.subject, world);
      const found = scenario.expected[policy.check][policy.keys];
      if (found === undefined) {
        expect(decision.recordId).toBeUndefined();
        expect(decision.candidates).toBe(0);
        expect(decision.reason).toContain(`email ${scenario.email}`);
        if (policy.create === 'none') {
          expect(decision.action).toBe('skip');
          expect(decision.table).toBeUndefined();
          expect(decision.reason).toMatch(/^Skipped: .*creates no new record\.$/);
          expect(plannedReason(decision)).toMatch(/^Would skip: .*creates no new record\.$/);
        } else {
          expect(decision.action).toBe('create');
          expect(decision.table).toBe(policy.create);
          expect(decision.reason).toMatch(new RegExp(`^Created a ${policy.create}: no `));
          expect(plannedReason(decision)).toMatch(new RegExp(`^Would create a ${policy.create}: no `));
        }
        return;
      }
      expect(decision.table).toBe(found.table);
      expect(decision.matchedBy).toBe(found.by);
      expect(decision.candidates).toBe(found.count);
      expect(decision.reason).toContain(found.key);
      if (policy.onDuplicate === 'none') {
        expect(decision.action).toBe('skip');
        expect(decision.recordId).toBe(found.shown.id);
        expect(decision.reason).toContain(short(found.shown.id));
        expect(decision.reason).toContain('the policy takes no action on duplicates');
        expect(plannedReason(decision)).toMatch(/^Would skip: .*the policy takes no action on duplicates/);
      } else {
        const chosen = found.pick[policy.onDuplicate];
        expect(decision.action).toBe('update');
        expect(decision.recordId).toBe(chosen.id);
        expect(decision.reason).toMatch(new RegExp(`^Updated ${found.table} ${chosen.id.slice(0, 8)}… — `));
        expect(plannedReason(decision)).toMatch(
          new RegExp(`^Would update ${found.table} ${chosen.id.slice(0, 8)}… — `),
        );
      }
    },
  );
});

describe('decideByPolicy: reasons', () => {
  const policy = (over: Partial<DuplicatePolicy> = {}): DuplicatePolicy => ({
    check: 'leads_then_contacts',
    keys: 'email_then_name',
    onDuplicate: 'update_most_recently_updated',
    create: 'lead',
    ...over,
  });

  it.each<[string, DuplicatePolicy, MatchSubject, string]>([
    [
      'several matches name the ordering and the count',
      policy({ check: 'leads' }),
      subject('ana@x.com'),
      `Updated lead ${short(W.leadA1.id)} — the most recently modified of 2 leads with email ana@x.com.`,
    ],
    [
      'a match in the second table says the first had none',
      policy({ check: 'leads_then_contacts', keys: 'email' }),
      subject('ben@x.com'),
      `Updated contact ${short(W.contactB1.id)} — the only contact with email ben@x.com (no lead has it).`,
    ],
    [
      'a name match says the email found nothing',
      policy({ check: 'contacts_then_leads' }),
      subject('cleo@new.example', 'Cleo', 'Park'),
      `Updated contact ${short(W.contactC1.id)} — the only contact with the name Cleo Park (no contact or lead has email cleo@new.example).`,
    ],
    [
      'a name match in the second table lists both misses',
      policy({ check: 'contacts_then_leads' }),
      subject('dan@x.com', 'Ben', 'Olsen'),
      `Updated lead ${short(W.leadB1.id)} — the most recently modified of 2 leads with the name Ben Olsen (no contact or lead has email dan@x.com and no contact has the name Ben Olsen).`,
    ],
    [
      'no action on a single duplicate',
      policy({ check: 'contacts', onDuplicate: 'none' }),
      subject('ben@x.com'),
      `Skipped: contact ${short(W.contactB1.id)} has email ben@x.com and the policy takes no action on duplicates.`,
    ],
    [
      'no action on several duplicates lists them',
      policy({ check: 'contacts', onDuplicate: 'none' }),
      subject('ana@x.com'),
      `Skipped: 3 contacts (${short(W.contactA2.id)}, ${short(W.contactA1.id)} and ${short(W.contactA3.id)}) have email ana@x.com and the policy takes no action on duplicates.`,
    ],
    [
      'nothing found, email and name checked',
      policy(),
      subject('dan@x.com', 'Dan', 'Reyes'),
      'Created a lead: no lead or contact has email dan@x.com or the name Dan Reyes.',
    ],
    [
      'nothing found, email only',
      policy({ check: 'contacts_then_leads', keys: 'email', create: 'contact' }),
      subject('dan@x.com', 'Dan', 'Reyes'),
      'Created a contact: no contact or lead has email dan@x.com.',
    ],
    [
      'nothing found and nothing to create',
      policy({ create: 'none' }),
      subject('dan@x.com', 'Dan', 'Reyes'),
      'Skipped: no lead or contact has email dan@x.com or the name Dan Reyes, and the policy creates no new record.',
    ],
    [
      'no email goes straight to the name',
      policy(),
      subject(undefined, 'Cleo', 'Park'),
      `Updated lead ${short(W.leadC1.id)} — the only lead with the name Cleo Park (it has no email).`,
    ],
    [
      'no email and an unknown name',
      policy(),
      subject(undefined, 'Dan', 'Reyes'),
      'Created a lead: no lead or contact has the name Dan Reyes (it has no email).',
    ],
    [
      'no email and no name',
      policy(),
      subject(undefined),
      'Created a lead: it has no email and no first and last name, so no duplicate could be looked for.',
    ],
    [
      'no email under an email-only policy',
      policy({ keys: 'email' }),
      subject('  ', 'Cleo', 'Park'),
      'Created a lead: it has no email, so no duplicate could be looked for.',
    ],
    [
      'a placeholder email is no key',
      policy({ keys: 'email' }),
      subject('n/a'),
      "Created a lead: its email 'n/a' is not a valid address, so no duplicate could be looked for.",
    ],
    [
      'a last name alone is no name key',
      policy(),
      subject('dan@x.com', undefined, 'Park'),
      'Created a lead: no lead or contact has email dan@x.com, and without both a first and a last name its name could not be checked.',
    ],
  ])('%s', (_name, p, s, reason) => {
    expect(decideByPolicy(p, s, world).reason).toBe(reason);
  });
});
