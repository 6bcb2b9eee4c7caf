import { describe, expect, it } from 'vitest';
import type { CrmRecord, DuplicateAction, DuplicatePolicy } from '../domain/index.js';
import type { CandidatesByTable } from './candidates.js';
import { decideByPolicy } from './duplicate-policy-decision.js';
import type { MatchSubject } from './match-subject.js';
import type { PersonTable } from './sync-decision.js';

const record = (
  table: PersonTable,
  id: string,
  createdOn: string,
  modifiedOn: string,
  values: Record<string, unknown>,
): CrmRecord => ({ table, id, createdOn, modifiedOn, values });

const guid = (prefix: string): string => `${prefix}-0000-4000-8000-000000000000`;

const subject = (email: string | undefined, firstName?: string, lastName?: string): MatchSubject => ({
  email,
  firstName,
  lastName,
  fields: {},
  sourceValues: {},
});

const ORDERS: readonly Exclude<DuplicateAction, 'none'>[] = [
  'update_most_recently_created',
  'update_most_recently_updated',
  'update_least_recently_created',
  'update_least_recently_updated',
];

describe('decideByPolicy: normalisation and candidate sets', () => {
  const byName: DuplicatePolicy = {
    check: 'leads',
    keys: 'email_then_name',
    onDuplicate: 'update_most_recently_created',
    create: 'lead',
  };
  const byEmail: DuplicatePolicy = { ...byName, keys: 'email' };
  const leads = (...records: CrmRecord[]): CandidatesByTable => ({ lead: records });
  const at = '2024-01-01T00:00:00Z';

  it('matches case and whitespace variants of an email', () => {
    const lead = record('lead', guid('dd000001'), at, at, { emailaddress1: 'Ana.Lopez@Example.COM' });
    const decision = decideByPolicy(byEmail, subject('  ana.lopez@example.com\t'), leads(lead));
    expect(decision).toMatchObject({ action: 'update', recordId: lead.id, matchedBy: 'email' });
  });

  it.each<[string, string, string, string, string, boolean]>([
    ['accents on either side', 'Jose', 'López', 'José', 'Lopez', true],
    ['case and inner whitespace', 'ANA  MARIA', 'lópez', 'Ana Maria', 'Lopez', true],
    ['typographic apostrophe', 'Siobhán', 'O’Brien', 'Siobhan', "O'Brien", true],
    ['apostrophe kept apart from none', 'Siobhan', 'OBrien', 'Siobhan', "O'Brien", false],
    ['letters NFD keeps whole', 'Łukasz', 'Søgaard', 'Lukasz', 'Sogaard', true],
    ['sharp s', 'Jörg', 'Strauß', 'Jorg', 'STRAUSS', true],
    ['first name differs', 'Ana', 'López', 'Anna', 'López', false],
  ])('names: %s', (_name, first, last, crmFirst, crmLast, matches) => {
    const lead = record('lead', guid('dd000002'), at, at, { firstname: crmFirst, lastname: crmLast });
    const decision = decideByPolicy(byName, subject(undefined, first, last), leads(lead));
    expect(decision.action).toBe(matches ? 'update' : 'create');
    if (matches) expect(decision.recordId).toBe(lead.id);
  });

  it('breaks equal timestamps by the smaller id, whatever the order of the results', () => {
    const a = record('lead', guid('ee000001'), at, at, { emailaddress1: 'tie@x.com' });
    const b = record('lead', guid('ee000002'), at, at, { emailaddress1: 'tie@x.com' });
    for (const onDuplicate of ORDERS) {
      const policy = { ...byEmail, onDuplicate };
      expect(decideByPolicy(policy, subject('tie@x.com'), leads(a, b)).recordId).toBe(a.id);
      expect(decideByPolicy(policy, subject('tie@x.com'), leads(b, a)).recordId).toBe(a.id);
    }
  });

  it('ignores the records found for other subjects of the batch', () => {
    const other = record('lead', guid('ff000001'), at, '2030-01-01T00:00:00Z', {
      emailaddress1: 'other@x.com',
    });
    const mine = record('lead', guid('ff000002'), at, at, { emailaddress1: 'me@x.com' });
    const decision = decideByPolicy(byEmail, subject('me@x.com'), leads(other, mine));
    expect(decision).toMatchObject({ action: 'update', recordId: mine.id, candidates: 1 });
  });

  it('counts a record returned by two queries once', () => {
    const lead = record('lead', guid('ff000003'), at, at, { emailaddress1: 'me@x.com' });
    const decision = decideByPolicy(byEmail, subject('me@x.com'), leads(lead, { ...lead }));
    expect(decision.candidates).toBe(1);
  });

  it('never matches a placeholder email stored in the CRM', () => {
    const lead = record('lead', guid('ff000004'), at, at, { emailaddress1: 'n/a' });
    expect(decideByPolicy(byEmail, subject('n/a'), leads(lead)).action).toBe('create');
  });

  it('does not look in tables the policy does not check', () => {
    const contact = record('contact', guid('ff000005'), at, at, { emailaddress1: 'me@x.com' });
    expect(decideByPolicy(byEmail, subject('me@x.com'), { contact: [contact] }).action).toBe('create');
  });
});
