import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuplicateAction, DuplicatePolicy } from '../../../src/domain/index.js';
import { crmWorld, type CrmWorld } from './crm-world.js';
import { startSyncHarness, type SyncHarness } from './lead-sync-support.js';
import { combinationWorld, expectedOutcome, PEOPLE, type Letter, type Person } from './policy-world.js';

/**
 * Every duplicate policy of seed 003 (check × keys × on-duplicate × create = 120), from the capture API
 * to the emulator. Each combination has its own source and its own people in the CRM, so all 120 run
 * in one sync pass without touching each other; the expectations come from `policy-world.ts`.
 */

const CHECKS = ['leads', 'contacts', 'contacts_then_leads', 'leads_then_contacts'] as const;
const KEYS = ['email', 'email_then_name'] as const;
const ON_DUPLICATE = [
  'update_most_recently_created',
  'update_most_recently_updated',
  'update_least_recently_created',
  'update_least_recently_updated',
  'none',
] as const satisfies readonly DuplicateAction[];
const CREATE = ['lead', 'contact', 'none'] as const;

const COMBINATIONS: DuplicatePolicy[] = CHECKS.flatMap((check) =>
  KEYS.flatMap((keys) =>
    ON_DUPLICATE.flatMap((onDuplicate) => CREATE.map((create) => ({ check, keys, onDuplicate, create }))),
  ),
);

interface LogEntry {
  leadId: string;
  outcome: string;
  decision?: string;
  table?: string;
  recordId?: string;
  reason: string;
}

let h: SyncHarness;
let world: CrmWorld;
beforeAll(async () => {
  h = await startSyncHarness();
  world = crmWorld(h);
}, 60_000);
afterAll(async () => h?.close());

describe('every duplicate policy, capture → emulator', () => {
  const runs = new Map<number, { sourceId: string; leadIds: string[]; log: Map<string, LogEntry> }>();

  beforeAll(async () => {
    const worlds = COMBINATIONS.map((_, n) => combinationWorld(n));
    await world.createMany(
      'lead',
      worlds.flatMap((w) => w.rows.filter((r) => r.table === 'lead').map((r) => r.values)),
    );
    await world.createMany(
      'contact',
      worlds.flatMap((w) => w.rows.filter((r) => r.table === 'contact').map((r) => r.values)),
    );
    for (const w of worlds) for (const r of w.rows) world.backdate(r.table, r.id, r);

    // Sources a few at a time: the store has one writer, and 120 in parallel only queue up there.
    for (let start = 0; start < COMBINATIONS.length; start += 8) {
      await Promise.all(
        COMBINATIONS.slice(start, start + 8).map(async (policy, offset) => {
          const n = start + offset;
          const { source, key } = await h.createSource({ name: `Policy ${n}` });
          const patched = await h.api(`/api/v1/sources/${source.id}`, {
            method: 'PATCH',
            token: h.adminToken,
            json: { duplicates: { mode: 'policy', policy } },
          });
          expect(patched.status).toBe(200);
          expect(patched.body!['duplicates']).toEqual({ mode: 'policy', policy });
          const captured = await h.capture(source.id, key, worlds[n]!.captures);
          expect(captured.status).toBe(202);
          const leadIds = captured.body!['leads'].map((lead: { id: string }) => lead.id);
          runs.set(n, { sourceId: source.id, leadIds, log: new Map() });
        }),
      );
    }

    const pass = await h.leadbridge.worker.drain();
    expect(pass).toMatchObject({ claimed: COMBINATIONS.length * PEOPLE.length, dead: 0, retried: 0 });

    for (const run of runs.values()) {
      const log = await h.api(`/api/v1/sync/log?sourceId=${run.sourceId}`, { token: h.adminToken });
      for (const entry of log.body!['entries'] as LogEntry[]) run.log.set(entry.leadId, entry);
    }
  }, 120_000);

  it.each(COMBINATIONS.map((policy, n) => [n, policy] as const))('#%i %o', async (n, policy) => {
    const run = runs.get(n)!;
    const w = combinationWorld(n);
    const written: string[] = [];
    PEOPLE.forEach((person: Person, index) => {
      const expected = expectedOutcome(policy, person);
      const entry = run.log.get(run.leadIds[index]!);
      const what = `${person}: ${entry?.reason ?? 'no sync-log entry'}`;
      expect(entry, what).toBeDefined();
      const tag = w.tag(person);
      switch (expected.outcome) {
        case 'updated': {
          const id = w.id(expected.record);
          expect(entry, what).toMatchObject({
            outcome: 'updated',
            decision: `update_${expected.table}`,
            table: expected.table,
            recordId: id,
          });
          expect(entry!.reason, what).toMatch(reasonFor(expected.table, expected.record));
          expect(world.row(expected.table, id)?.['jobtitle'], what).toBe(tag);
          written.push(`${expected.table}:${id}:${tag}`);
          break;
        }
        case 'created': {
          expect(entry, what).toMatchObject({
            outcome: 'created',
            decision: `create_${expected.table}`,
            table: expected.table,
          });
          expect(entry!.reason, what).toMatch(new RegExp(`^Created a ${expected.table}: `));
          const row = world.row(expected.table, entry!.recordId!);
          expect(row, what).toMatchObject({ emailaddress1: w.email(person), jobtitle: tag });
          written.push(`${expected.table}:${entry!.recordId}:${tag}`);
          break;
        }
        case 'skipped':
          expect(entry, what).toMatchObject({ outcome: 'skipped', decision: 'skip' });
          expect(entry!.reason, what).toMatch(/^Skipped: /);
          if (expected.record === undefined) {
            expect(entry!.table, what).toBeUndefined();
            expect(entry!.recordId, what).toBeUndefined();
            expect(entry!.reason, what).toMatch(/the policy creates no new record/);
          } else {
            expect(entry, what).toMatchObject({ table: expected.table, recordId: w.id(expected.record) });
            expect(entry!.reason, what).toMatch(/takes no action on duplicates/);
          }
      }
    });
    // Nothing else in the CRM carries this combination's answers: no stray create or update.
    expect(w.rowsTouched(h).sort(), 'records written').toEqual(written.sort());
    const counts = await h.leadbridge.repositories.inboundLeads.countByStatus(run.sourceId);
    const outcomes = PEOPLE.map((person) => expectedOutcome(policy, person).outcome);
    expect(counts).toMatchObject({
      synced: outcomes.filter((o) => o !== 'skipped').length,
      skipped: outcomes.filter((o) => o === 'skipped').length,
      pending: 0,
      failed: 0,
    });
  });
});

/** The records a decision chose among: four leads or two contacts share the email, one holds each name. */
function reasonFor(table: 'lead' | 'contact', record: Letter): RegExp {
  if (record === 'A' || record === 'B' || record === 'C' || record === 'D') return / of 4 leads with email /;
  if (record === 'E' || record === 'F') return / of 2 contacts with email /;
  return new RegExp(`the only ${table} with `);
}

describe('matching strategies, capture → emulator', () => {
  const day = (d: number) => `${new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 19)}Z`;
  const STRAT_NEWER = '5a000000-0000-4000-8000-000000000001';
  const STRAT_OLDER = '5a000000-0000-4000-8000-000000000002';
  const STRAT_CONTACT = '5a000000-0000-4000-8000-000000000003';
  const PAIR_LEAD = '5a000000-0000-4000-8000-000000000004';
  let source: { id: string };
  let key: string;

  beforeAll(async () => {
    await world.createMany('lead', [
      { leadid: STRAT_NEWER, lastname: 'Strat', subject: 's', emailaddress1: 'strat.one@dup.test' },
      { leadid: STRAT_OLDER, lastname: 'Strat', subject: 's', emailaddress1: 'strat.one@dup.test' },
      {
        leadid: PAIR_LEAD,
        lastname: 'Pair',
        subject: 's',
        emailaddress1: 'pair@dup.test',
        telephone1: '+49 30 1234567',
      },
    ]);
    await world.createMany('contact', [
      { contactid: STRAT_CONTACT, lastname: 'Strat', emailaddress1: 'strat.contact@dup.test' },
    ]);
    // The older-created lead is the more recently modified one: strategies update that one.
    world.backdate('lead', STRAT_NEWER, { createdOn: day(2), modifiedOn: day(3) });
    world.backdate('lead', STRAT_OLDER, { createdOn: day(1), modifiedOn: day(5) });
    ({ source, key } = await h.createSource({ name: 'Strategy', duplicates: { mode: 'strategy' } }));
  });

  const logFor = async (leadIds: string[]) => {
    const log = await h.api(`/api/v1/sync/log?sourceId=${source.id}&limit=500`, { token: h.adminToken });
    const entries = log.body!['entries'] as LogEntry[];
    return leadIds.map((id) => entries.find((entry) => entry.leadId === id)!);
  };

  it('starts with the default email strategy: same email updates a lead, a contact is never matched', async () => {
    const list = await h.api('/api/v1/matching-strategies', { token: h.adminToken });
    expect(list.body!['strategies']).toEqual([
      expect.objectContaining({
        name: 'Email address',
        active: true,
        pairs: [{ sourceField: 'email', crmColumn: 'emailaddress1' }],
      }),
    ]);
    const captured = await h.capture(source.id, key, [
      { email: 'Strat.One@dup.test', lastName: 'Strat', jobTitle: 'strategy-update' },
      { email: 'strat.contact@dup.test', lastName: 'Strat', jobTitle: 'strategy-contact' },
    ]);
    await h.leadbridge.worker.drain();
    const [update, create] = await logFor(captured.body!['leads'].map((l: { id: string }) => l.id));
    expect(update).toMatchObject({
      outcome: 'updated',
      decision: 'update_lead',
      table: 'lead',
      recordId: STRAT_OLDER,
    });
    expect(update!.reason).toMatch(
      /most recently modified of 2 leads that match the strategy 'Email address'/,
    );
    expect(world.row('lead', STRAT_OLDER)?.['jobtitle']).toBe('strategy-update');
    expect(world.row('lead', STRAT_NEWER)?.['jobtitle']).toBeUndefined();
    expect(create).toMatchObject({ outcome: 'created', decision: 'create_lead', table: 'lead' });
    expect(world.row('lead', create!.recordId!)?.['emailaddress1']).toBe('strat.contact@dup.test');
    expect(world.row('contact', STRAT_CONTACT)?.['jobtitle']).toBeUndefined();
  });

  it('with an active email + phone strategy, only a lead matching both pairs is updated', async () => {
    const created = await h.api('/api/v1/matching-strategies', {
      method: 'POST',
      token: h.adminToken,
      json: {
        name: 'Email and phone',
        pairs: [
          { sourceField: 'email', crmColumn: 'emailaddress1' },
          { sourceField: 'phone', crmColumn: 'telephone1' },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: false });
    const activated = await h.api(`/api/v1/matching-strategies/${created.body!['id']}/activate`, {
      method: 'POST',
      token: h.adminToken,
    });
    expect(activated.body).toMatchObject({ active: true });
    const list = await h.api('/api/v1/matching-strategies', { token: h.adminToken });
    const active = (list.body!['strategies'] as { name: string; active: boolean }[]).filter((s) => s.active);
    expect(active.map((s) => s.name)).toEqual(['Email and phone']);

    const captured = await h.capture(source.id, key, [
      { email: 'pair@dup.test', phone: '+49 (30) 123 4567', lastName: 'Pair', jobTitle: 'pair-both' },
      { email: 'pair@dup.test', phone: '+49 30 7654321', lastName: 'Pair', jobTitle: 'pair-email-only' },
      {
        email: 'pair.other@dup.test',
        phone: '+49 30 1234567',
        lastName: 'Pair',
        jobTitle: 'pair-phone-only',
      },
    ]);
    await h.leadbridge.worker.drain();
    const [both, emailOnly, phoneOnly] = await logFor(
      captured.body!['leads'].map((l: { id: string }) => l.id),
    );
    expect(both).toMatchObject({ outcome: 'updated', table: 'lead', recordId: PAIR_LEAD });
    expect(both!.reason).toMatch(/matches the strategy 'Email and phone' on email and phone/);
    expect(world.row('lead', PAIR_LEAD)?.['jobtitle']).toBe('pair-both');
    expect(emailOnly).toMatchObject({ outcome: 'created', decision: 'create_lead' });
    expect(emailOnly!.reason).toMatch(/matched email but not phone/);
    expect(phoneOnly).toMatchObject({ outcome: 'created', decision: 'create_lead' });
    expect(phoneOnly!.reason).toMatch(/matched phone but not email/);
    const pairLeads = h.rows('lead').filter((row) => String(row['jobtitle']).startsWith('pair-'));
    expect(pairLeads.map((row) => row['jobtitle']).sort()).toEqual([
      'pair-both',
      'pair-email-only',
      'pair-phone-only',
    ]);
  });

  it('refuses to delete the active strategy (409 strategy_active) and deletes an inactive one', async () => {
    const list = await h.api('/api/v1/matching-strategies', { token: h.adminToken });
    const strategies = list.body!['strategies'] as { id: string; name: string; active: boolean }[];
    const active = strategies.find((s) => s.active)!;
    const fallback = strategies.find((s) => !s.active)!;
    const refused = await h.api(`/api/v1/matching-strategies/${active.id}`, {
      method: 'DELETE',
      token: h.adminToken,
    });
    expect(refused.status).toBe(409);
    expect(refused.body!['error'].code).toBe('strategy_active');
    await h.api(`/api/v1/matching-strategies/${fallback.id}/activate`, {
      method: 'POST',
      token: h.adminToken,
    });
    const deleted = await h.api(`/api/v1/matching-strategies/${active.id}`, {
      method: 'DELETE',
      token: h.adminToken,
    });
    expect(deleted.status).toBe(204);
    const after = await h.api('/api/v1/matching-strategies', { token: h.adminToken });
    expect(after.body!['strategies']).toEqual([expect.objectContaining({ id: fallback.id, active: true })]);
  });
});
