import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from './lead-sync-support.js';

/** From the capture API to records in the emulator: exactly once, with a sync log that agrees. */

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => h?.close());

const person = (n: number, extra: Record<string, unknown> = {}) => ({
  email: `person${n}@example.com`,
  firstName: `First${n}`,
  lastName: `Last${n}`,
  company: `Company ${n}`,
  ...extra,
});

describe('capture → Dynamics 365', () => {
  it('accepts 1,000 leads with 202, syncs them as 1,000 leads, and a redelivery creates nothing', async () => {
    const { source, key } = await h.createSource({ name: 'Bulk API' });
    const leads = Array.from({ length: 1000 }, (_, i) => person(i, { externalId: `ext-${i}` }));
    const first = await h.capture(source.id, key, leads);
    expect(first.status).toBe(202);
    expect(first.body!['leads']).toHaveLength(1000);
    const again = await h.capture(source.id, key, leads);
    expect(again.status).toBe(202);
    expect(again.body!['leads'].map((l: { id: string }) => l.id)).toEqual(
      first.body!['leads'].map((l: { id: string }) => l.id),
    );
    expect(again.body!['leads'].every((l: { duplicate: boolean }) => l.duplicate)).toBe(true);

    const requestsBefore = h.httpRequests();
    const pass = await h.leadbridge.worker.drain();
    expect(pass).toMatchObject({ claimed: 1000, done: 1000, dead: 0 });
    // One $batch of look-ups and one CreateMultiple (metadata is cached from saving the source).
    expect(h.httpRequests() - requestsBefore).toBeLessThanOrEqual(3);
    const emails = h.rows('lead').map((row) => row['emailaddress1']);
    expect(emails.filter((e) => typeof e === 'string' && e.startsWith('person'))).toHaveLength(1000);
    expect(new Set(emails).size).toBe(emails.length);

    const log = await h.api(`/api/v1/sync/log?sourceId=${source.id}&limit=500`, { token: h.adminToken });
    expect(log.status).toBe(200);
    expect(log.body!['entries']).toHaveLength(500);
    const entry = log.body!['entries'][0];
    expect(entry).toMatchObject({ outcome: 'created', table: 'lead', decision: 'create_lead' });
    expect(entry.recordUrl).toBe(
      `${h.emulator.url}main.aspx?etn=lead&id=${entry.recordId}&pagetype=entityrecord`,
    );
    expect(entry.reason).toMatch(/Created a lead/);
  });

  it('updates the existing lead with the same email instead of creating a second one', async () => {
    const { source, key } = await h.createSource({ name: 'Updates' });
    await h.capture(source.id, key, person(5000, { jobTitle: 'Engineer' }));
    await h.leadbridge.worker.drain();
    await h.capture(source.id, key, person(5000, { email: ' PERSON5000@Example.com ', jobTitle: 'CTO' }));
    await h.leadbridge.worker.drain();
    const rows = h
      .rows('lead')
      .filter((row) => String(row['emailaddress1']).toLowerCase() === 'person5000@example.com');
    expect(rows).toHaveLength(1);
    expect(rows[0]!['jobtitle']).toBe('CTO');
    const log = await h.api(`/api/v1/sync/log?sourceId=${source.id}`, { token: h.adminToken });
    expect(log.body!['entries'].map((e: { outcome: string }) => e.outcome)).toEqual(['updated', 'created']);
  });

  it('two deliveries of one person in one batch make one record', async () => {
    const { source, key } = await h.createSource({ name: 'Same batch' });
    await h.capture(source.id, key, [
      person(6000, { jobTitle: 'A' }),
      person(6000, { jobTitle: 'B', phone: '+49 30 1234567' }),
    ]);
    await h.leadbridge.worker.drain();
    const rows = h.rows('lead').filter((row) => row['emailaddress1'] === 'person6000@example.com');
    expect(rows).toHaveLength(1);
    expect(rows[0]!['jobtitle']).toBe('B');
  });

  it('refuses invalid bodies with a 400 naming the field, and stores nothing', async () => {
    const { source, key } = await h.createSource({ name: 'Bad input' });
    const before = (await h.leadbridge.repositories.inboundLeads.countByStatus(source.id)).pending;
    const cases: [unknown, RegExp][] = [
      [{ email: 'not-an-email', lastName: 'X' }, /email/],
      [[person(1), { email: 5 }], /leads\[1\]\.email/],
      [[], /empty/],
      ['just a string', /lead object/],
      [Array.from({ length: 1001 }, (_, i) => person(i)), /1,000/],
    ];
    for (const [body, message] of cases) {
      const answer = await h.capture(source.id, key, body);
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(answer.body!['error'].message).toMatch(message);
    }
    const raw = (body: string) =>
      h.api(`/api/v1/sources/${source.id}/leads`, {
        method: 'POST',
        token: key,
        body,
        headers: { 'content-type': 'application/json' },
      });
    const brokenJson = await raw('{"email": "a@b.com", ');
    expect(brokenJson.status).toBe(400);
    expect(brokenJson.body!['error'].code).toBe('invalid_body');
    const huge = await raw(JSON.stringify({ email: 'a@b.com', notes: 'x'.repeat(10 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body!['error'].code).toBe('payload_too_large');
    expect((await h.leadbridge.repositories.inboundLeads.countByStatus(source.id)).pending).toBe(before);
  });

  it('keeps quotes and OData syntax as plain values all the way into the CRM', async () => {
    const { source, key } = await h.createSource({ name: 'Quotes' });
    await h.capture(source.id, key, [
      { email: "o'brien@example.com", firstName: 'Seán', lastName: "O'Brien", company: "x') or (1 eq 1" },
    ]);
    await h.leadbridge.worker.drain();
    await h.capture(source.id, key, [
      { email: "o'brien@example.com", firstName: 'Seán', lastName: "O'Brien", company: 'Second' },
    ]);
    await h.leadbridge.worker.drain();
    const rows = h.rows('lead').filter((row) => row['emailaddress1'] === "o'brien@example.com");
    expect(rows).toHaveLength(1);
    expect(rows[0]!['lastname']).toBe("O'Brien");
    expect(rows[0]!['companyname']).toBe('Second');
  });

  it('answers 401 for a missing or foreign API key and 404 for an unknown source', async () => {
    const a = await h.createSource({ name: 'Key A' });
    const b = await h.createSource({ name: 'Key B' });
    expect((await h.capture(a.source.id, '', person(1))).status).toBe(401);
    expect((await h.capture(a.source.id, b.key, person(1))).body!['error'].code).toBe('invalid_api_key');
    expect((await h.capture(a.source.id, 'lbk_nonsense', person(1))).status).toBe(401);
  });
});
