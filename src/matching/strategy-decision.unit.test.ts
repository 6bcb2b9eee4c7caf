import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCHING_STRATEGY, type CrmRecord } from '../domain/index.js';
import type { MatchSubject } from './match-subject.js';
import { decideByStrategy, type StrategyRule } from './strategy-decision.js';

const lead = (id: string, modifiedOn: string, values: Record<string, unknown>): CrmRecord => ({
  table: 'lead',
  id: `${id}-0000-4000-8000-000000000000`,
  createdOn: '2020-01-01T00:00:00Z',
  modifiedOn,
  values,
});
const short = (record: CrmRecord): string => `${record.id.slice(0, 8)}…`;
const subject = (sourceValues: Record<string, unknown>): MatchSubject => ({ fields: {}, sourceValues });

const emailAndPhone: StrategyRule = {
  name: 'Email and phone',
  pairs: [
    { sourceField: 'email', crmColumn: 'emailaddress1' },
    { sourceField: 'phone', crmColumn: 'telephone1' },
  ],
};
const emailPhoneCompany: StrategyRule = {
  name: 'Email, phone and company',
  pairs: [...emailAndPhone.pairs, { sourceField: 'company', crmColumn: 'companyname' }],
};

const ana = lead('12ab0001', '2024-01-01T00:00:00Z', {
  emailaddress1: 'Ana@X.com',
  telephone1: '030 1234567',
  companyname: 'Müller GmbH',
});
const anaOlder = lead('12ab0002', '2023-01-01T00:00:00Z', {
  emailaddress1: 'ana@x.com',
  telephone1: '+49 30 1234567',
  companyname: 'Muller GmbH',
});
const anaOtherPhone = lead('12ab0003', '2025-01-01T00:00:00Z', {
  emailaddress1: 'ana@x.com',
  telephone1: '+49 40 9876543',
});
const someoneElse = lead('99ff0001', '2025-06-01T00:00:00Z', {
  emailaddress1: 'bob@x.com',
  telephone1: '+49 30 1234567',
});

describe('decideByStrategy', () => {
  it('updates the lead that matches the single pair of the default strategy', () => {
    const decision = decideByStrategy(DEFAULT_MATCHING_STRATEGY, subject({ email: ' ANA@x.com ' }), [
      someoneElse,
      ana,
    ]);
    expect(decision).toMatchObject({
      action: 'update',
      table: 'lead',
      recordId: ana.id,
      matchedBy: 'strategy',
    });
    expect(decision.reason).toBe(
      `Updated lead ${short(ana)} — it matches the strategy 'Email address' on email.`,
    );
  });

  it('updates when every pair matches, comparing phones as E.164 under the default country', () => {
    const decision = decideByStrategy(
      emailAndPhone,
      subject({ email: 'ana@x.com', phone: '+49 30 1234567' }),
      [ana, someoneElse],
      { defaultCountry: 'DE' },
    );
    expect(decision).toMatchObject({ action: 'update', recordId: ana.id, candidates: 1 });
  });

  it('matches "030 1234567" in the source with "+49 30 1234567" in the CRM under DE', () => {
    const decision = decideByStrategy(
      emailAndPhone,
      subject({ email: 'ana@x.com', phone: '030 1234567' }),
      [anaOlder],
      {
        defaultCountry: 'DE',
      },
    );
    expect(decision).toMatchObject({ action: 'update', recordId: anaOlder.id });
  });

  it('without a default country a national number cannot equal an international one', () => {
    const decision = decideByStrategy(emailAndPhone, subject({ email: 'ana@x.com', phone: '030 1234567' }), [
      anaOlder,
    ]);
    expect(decision.action).toBe('create');
  });

  it('without a default country the same national digits still match', () => {
    const decision = decideByStrategy(emailAndPhone, subject({ email: 'ana@x.com', phone: '030/123 4567' }), [
      ana,
    ]);
    expect(decision).toMatchObject({ action: 'update', recordId: ana.id });
  });

  it('compares other columns as names: case, accents and whitespace aside', () => {
    const decision = decideByStrategy(
      emailPhoneCompany,
      subject({ email: 'ana@x.com', phone: '+49301234567', company: '  MULLER   gmbh' }),
      [ana],
      { defaultCountry: 'DE' },
    );
    expect(decision).toMatchObject({ action: 'update', recordId: ana.id });
  });

  it('of several matching leads updates the most recently modified, and says so', () => {
    const decision = decideByStrategy(
      emailAndPhone,
      subject({ email: 'ana@x.com', phone: '+49 30 1234567' }),
      [anaOlder, ana],
      { defaultCountry: 'DE' },
    );
    expect(decision).toMatchObject({ action: 'update', recordId: ana.id, candidates: 2 });
    expect(decision.reason).toBe(
      `Updated lead ${short(ana)} — the most recently modified of 2 leads that match the strategy 'Email and phone' on email and phone.`,
    );
  });

  it('creates a lead on a partial match and names the pair that failed', () => {
    const decision = decideByStrategy(
      emailAndPhone,
      subject({ email: 'ana@x.com', phone: '+49 89 5555555' }),
      [anaOtherPhone, someoneElse],
      { defaultCountry: 'DE' },
    );
    expect(decision).toMatchObject({ action: 'create', table: 'lead', candidates: 0 });
    expect(decision.recordId).toBeUndefined();
    expect(decision.reason).toBe(
      `Created a lead: lead ${short(anaOtherPhone)} matched email but not phone; the strategy 'Email and phone' needs both.`,
    );
  });

  it('reports the partial candidate that matched most pairs', () => {
    const decision = decideByStrategy(
      emailPhoneCompany,
      subject({ email: 'ana@x.com', phone: '+49 30 1234567', company: 'Other AG' }),
      [someoneElse, anaOlder],
      { defaultCountry: 'DE' },
    );
    expect(decision.reason).toBe(
      `Created a lead: lead ${short(anaOlder)} matched email and phone but not company; the strategy 'Email, phone and company' needs all 3.`,
    );
  });

  it('creates a lead when nothing matches at all', () => {
    const decision = decideByStrategy(DEFAULT_MATCHING_STRATEGY, subject({ email: 'new@x.com' }), [ana]);
    expect(decision.reason).toBe(
      "Created a lead: no lead matches the strategy 'Email address' (email new@x.com).",
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'missing',
      { email: 'ana@x.com' },
      "Created a lead: it has no phone, and the strategy 'Email and phone' needs email and phone to match an existing lead (an empty value matches nothing).",
    ],
    [
      'blank',
      { email: 'ana@x.com', phone: '   ' },
      "Created a lead: it has no phone, and the strategy 'Email and phone' needs email and phone to match an existing lead (an empty value matches nothing).",
    ],
    [
      'not an email',
      { email: 'n/a', phone: '+49 30 1234567' },
      "Created a lead: it has no valid email ('n/a'), and the strategy 'Email and phone' needs email and phone to match an existing lead (an empty value matches nothing).",
    ],
  ])(
    'an empty source value (%s) never matches, even a lead with an empty column',
    (_name, values, reason) => {
      const blankLead = lead('12ab0009', '2024-01-01T00:00:00Z', {
        emailaddress1: 'ana@x.com',
        telephone1: null,
      });
      const decision = decideByStrategy(emailAndPhone, subject(values), [blankLead, ana], {
        defaultCountry: 'DE',
      });
      expect(decision.action).toBe('create');
      expect(decision.reason).toBe(reason);
    },
  );

  it('a strategy without pairs matches no lead', () => {
    const decision = decideByStrategy({ name: 'Unfinished', pairs: [] }, subject({ email: 'ana@x.com' }), [
      ana,
    ]);
    expect(decision.action).toBe('create');
    expect(decision.reason).toContain("the strategy 'Unfinished' has no field pairs");
  });

  it('ignores contacts and counts a lead returned twice once', () => {
    const contact: CrmRecord = { ...ana, table: 'contact', id: 'c0000000-0000-4000-8000-000000000000' };
    const decision = decideByStrategy(DEFAULT_MATCHING_STRATEGY, subject({ email: 'ana@x.com' }), [
      contact,
      anaOlder,
      { ...anaOlder },
    ]);
    expect(decision).toMatchObject({ action: 'update', recordId: anaOlder.id, candidates: 1 });
  });

  it('labels two pairs from one source field by their columns', () => {
    const twoColumns: StrategyRule = {
      name: 'Either address',
      pairs: [
        { sourceField: 'email', crmColumn: 'emailaddress1' },
        { sourceField: 'email', crmColumn: 'emailaddress2' },
      ],
    };
    const decision = decideByStrategy(twoColumns, subject({ email: 'ana@x.com' }), [ana]);
    expect(decision.reason).toBe(
      `Created a lead: lead ${short(ana)} matched email (emailaddress1) but not email (emailaddress2); the strategy 'Either address' needs both.`,
    );
  });
});
