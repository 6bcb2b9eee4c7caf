import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DUPLICATE_POLICY,
  DEFAULT_MATCHING_STRATEGY,
  type DuplicateCheck,
  type DuplicatePolicy,
} from '../domain/index.js';
import { planLookups, planPolicyLookups, planStrategyLookups } from './lookup-plan.js';
import type { MatchSubject } from './match-subject.js';
import type { StrategyRule } from './strategy-decision.js';

const person = (email?: string, firstName?: string, lastName?: string, sourceValues = {}): MatchSubject => ({
  email,
  firstName,
  lastName,
  fields: {},
  sourceValues,
});
const policy = (over: Partial<DuplicatePolicy> = {}): DuplicatePolicy => ({
  ...DEFAULT_DUPLICATE_POLICY,
  ...over,
});
const shape = (queries: readonly { table: string; column: string; values: readonly string[] }[]) =>
  queries.map((q) => `${q.table}.${q.column}:${q.values.length}`);

describe('planPolicyLookups', () => {
  it('sends each normalised email of the batch once', () => {
    const queries = planPolicyLookups(
      [person(' Ana@X.com'), person('ana@x.com'), person('ben@x.com'), person(undefined), person('n/a')],
      policy(),
    );
    expect(queries).toEqual([
      {
        table: 'lead',
        column: 'emailaddress1',
        values: ['ana@x.com', 'ben@x.com'],
        select: ['emailaddress1', 'firstname', 'lastname'],
      },
    ]);
  });

  it.each<[DuplicateCheck, string[]]>([
    ['leads', ['lead']],
    ['contacts', ['contact']],
    ['contacts_then_leads', ['contact', 'lead']],
    ['leads_then_contacts', ['lead', 'contact']],
  ])('queries only the tables %s checks, in its order', (check, tables) => {
    const queries = planPolicyLookups([person('ana@x.com')], policy({ check }));
    expect(queries.map((q) => q.table)).toEqual(tables);
  });

  it('chunks values at 100 per query by default, and at the given limit', () => {
    const batch = Array.from({ length: 250 }, (_, i) => person(`p${i}@x.com`));
    const queries = planPolicyLookups(batch, policy({ check: 'leads_then_contacts' }));
    expect(shape(queries)).toEqual([
      'lead.emailaddress1:100',
      'lead.emailaddress1:100',
      'lead.emailaddress1:50',
      'contact.emailaddress1:100',
      'contact.emailaddress1:100',
      'contact.emailaddress1:50',
    ]);
    expect(queries.slice(0, 3).flatMap((q) => q.values)).toEqual(batch.map((s) => s.email));
    expect(shape(planPolicyLookups(batch.slice(0, 5), policy(), { maxValuesPerQuery: 2 }))).toEqual([
      'lead.emailaddress1:2',
      'lead.emailaddress1:2',
      'lead.emailaddress1:1',
    ]);
  });

  it('adds last names for email then name: trimmed as typed, accent-free too, once case-insensitively', () => {
    const queries = planPolicyLookups(
      [
        person('ana@x.com', 'Ana', '  López '),
        person(undefined, 'José', 'lópez'),
        person(undefined, 'Siobhan', "O'Brien"),
        person(undefined, undefined, 'Lonely'),
      ],
      policy({ check: 'contacts', keys: 'email_then_name' }),
    );
    expect(queries.map((q) => [q.table, q.column, q.values])).toEqual([
      ['contact', 'emailaddress1', ['ana@x.com']],
      ['contact', 'lastname', ['López', 'Lopez', "O'Brien"]],
    ]);
  });

  it('sends no name query for an email-only policy and no query at all without values', () => {
    expect(planPolicyLookups([person('a@x.com', 'Ana', 'López')], policy()).map((q) => q.column)).toEqual([
      'emailaddress1',
    ]);
    expect(planPolicyLookups([person(undefined, 'Ana')], policy({ keys: 'email_then_name' }))).toEqual([]);
    expect(planPolicyLookups([], policy())).toEqual([]);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => planPolicyLookups([person('a@x.com')], policy(), { maxValuesPerQuery: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('planStrategyLookups', () => {
  const emailAndPhone: StrategyRule = {
    name: 'Email and phone',
    pairs: [
      { sourceField: 'email', crmColumn: 'emailaddress1' },
      { sourceField: 'phone', crmColumn: 'telephone1' },
    ],
  };

  it('queries leads on each pair column, selecting the person and strategy columns', () => {
    const queries = planStrategyLookups(
      [
        person(undefined, undefined, undefined, { email: 'Ana@x.com', phone: '030 1234567' }),
        person(undefined, undefined, undefined, { email: 'ana@x.com', phone: '+49 30 1234567' }),
        // An empty pair can match no lead, so this subject adds nothing.
        person(undefined, undefined, undefined, { email: 'bob@x.com' }),
      ],
      emailAndPhone,
      { defaultCountry: 'DE' },
    );
    expect(queries).toEqual([
      {
        table: 'lead',
        column: 'emailaddress1',
        values: ['ana@x.com'],
        select: ['emailaddress1', 'firstname', 'lastname', 'telephone1'],
      },
      {
        table: 'lead',
        column: 'telephone1',
        values: ['+49301234567', '+49 30 1234567', '030 1234567'],
        select: ['emailaddress1', 'firstname', 'lastname', 'telephone1'],
      },
    ]);
  });

  it('sends text values as typed and without accents', () => {
    const rule: StrategyRule = { name: 'Company', pairs: [{ sourceField: 'org', crmColumn: 'companyname' }] };
    const [query] = planStrategyLookups(
      [person(undefined, undefined, undefined, { org: ' Müller  GmbH ' })],
      rule,
    );
    expect(query?.values).toEqual(['Müller GmbH', 'Muller GmbH']);
  });

  it('plans nothing for a strategy without pairs', () => {
    expect(
      planStrategyLookups([person(undefined, undefined, undefined, { email: 'a@x.com' })], {
        name: 'x',
        pairs: [],
      }),
    ).toEqual([]);
  });
});

describe('planLookups', () => {
  it('takes a policy or a strategy', () => {
    const subject = person('ana@x.com', undefined, undefined, { email: 'ana@x.com' });
    expect(planLookups([subject], policy({ check: 'contacts' })).map((q) => q.table)).toEqual(['contact']);
    expect(planLookups([subject], DEFAULT_MATCHING_STRATEGY)).toEqual([
      {
        table: 'lead',
        column: 'emailaddress1',
        values: ['ana@x.com'],
        select: ['emailaddress1', 'firstname', 'lastname'],
      },
    ]);
  });
});
