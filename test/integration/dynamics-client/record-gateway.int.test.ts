/**
 * The connector's CrmRecordGateway over real HTTPS against the emulator: lookups in one `$batch` with
 * every value taken literally, paging, and bulk writes that survive retries, existing ids, refused
 * records and deleted ones — with the exact number of HTTP requests each costs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { odataString, type DataverseClient } from '../../../src/connectors/dynamics/index.js';
import type { CrmRecordWrite } from '../../../src/domain/index.js';
import { deterministicGuid } from '../../../src/shared/ids.js';
import { startDataverseEmulator, type RunningEmulator } from '../../support/dataverse-emulator.js';
import { failureOf, recordsConnector, SharedClock } from './dynamics-test-support.js';

let running: RunningEmulator;
let gateway: ReturnType<typeof recordsConnector>;
let client: DataverseClient;
const clock = new SharedClock();

beforeAll(async () => {
  running = await startDataverseEmulator({ limits: 'off', now: clock.now });
  gateway = recordsConnector(running, clock);
  client = gateway.dynamics.client(gateway.connection, gateway.credentials);
  await client.whoAmI(); // the token, so counts below are Dataverse requests only
});
afterAll(async () => {
  await gateway?.close();
  await running?.close();
});

/** HTTP requests made by `work`. */
async function requestsFor<T>(work: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = gateway.httpRequests();
  const result = await work();
  return { result, requests: gateway.httpRequests() - before };
}

const find = (queries: Parameters<typeof gateway.dynamics.records.findRecords>[2]) =>
  gateway.dynamics.records.findRecords(gateway.connection, gateway.credentials, queries);
const create = (records: readonly CrmRecordWrite[], table: 'lead' | 'contact' = 'lead') =>
  gateway.dynamics.records.createRecords(gateway.connection, gateway.credentials, table, records);
const update = (records: readonly CrmRecordWrite[]) =>
  gateway.dynamics.records.updateRecords(gateway.connection, gateway.credentials, 'lead', records);

async function leadsWithSubject(subject: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of client.retrieveAll('leads', {
    select: ['lastname', 'subject', 'jobtitle'],
    filter: `subject eq ${odataString(subject)}`,
  }))
    rows.push(row);
  return rows;
}

describe('findRecords', () => {
  it('looks up 1,000 values and awkward strings in one $batch, taking every value literally', async () => {
    const marker = `find-${randomUUID()}`;
    const tag = randomUUID().slice(0, 8); // lastname holds 50 characters
    const awkward = [
      "O'Brien",
      "x') or (1 eq 1",
      'say "hi"',
      'back\\slash',
      'a&b=c+d%20#?/',
      '日本語 テスト',
    ];
    const emails = Array.from({ length: 30 }, (_, i) => `lead-${i}-${marker}@example.com`);
    await client.createMultiple('leads', 'lead', [
      ...emails.map((email, i) => ({ lastname: `Find ${i}`, emailaddress1: email, subject: marker })),
      ...awkward.map((name) => ({ lastname: `${tag} ${name}`, subject: marker })),
    ]);
    const misses = Array.from({ length: 970 }, (_, i) => `nobody-${i}-${marker}@example.com`);
    const obriens = (await leadsWithLastname("O'Brien")).sort();

    const { result, requests } = await requestsFor(() =>
      find([
        { table: 'lead', column: 'emailaddress1', values: [...misses, ...emails], select: ['emailaddress1'] },
        {
          table: 'lead',
          column: 'lastname',
          values: awkward.map((name) => `${tag} ${name}`),
          select: ['lastname'],
        },
        { table: 'lead', column: 'lastname', values: ["O'Brien"], select: ['lastname'] },
        // An attempt to widen the filter finds nothing rather than everything.
        {
          table: 'lead',
          column: 'lastname',
          values: ["x' or lastname ne 'x", '") or true or ("'],
          select: [],
        },
        { table: 'contact', column: 'emailaddress1', values: [], select: [] },
      ]),
    );
    expect(requests).toBe(1);
    const [byEmail, byName, obrienRows, injected, none] = result;
    expect(byEmail?.map((record) => record.values['emailaddress1']).sort()).toEqual([...emails].sort());
    expect(byName?.map((record) => record.values['lastname']).sort()).toEqual(
      awkward.map((name) => `${tag} ${name}`).sort(),
    );
    expect(obrienRows?.map((record) => record.id).sort()).toEqual(obriens);
    expect(obriens.length).toBeGreaterThan(0);
    expect(injected).toEqual([]);
    expect(none).toEqual([]);
    for (const record of byEmail ?? []) {
      expect(record).toMatchObject({ table: 'lead', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(Date.parse(record.createdOn)).not.toBeNaN();
      expect(Date.parse(record.modifiedOn)).not.toBeNaN();
      expect(Object.keys(record.values)).toEqual(['emailaddress1']);
    }
  });

  it('compares case-insensitively, as Dataverse does', async () => {
    const email = `Mixed.Case-${randomUUID()}@Example.com`;
    const [id] = await client.createMultiple('leads', 'lead', [{ lastname: 'Case', emailaddress1: email }]);
    const [found] = await find([
      { table: 'lead', column: 'emailaddress1', values: [email.toUpperCase()], select: [] },
    ]);
    expect(found?.map((record) => record.id)).toEqual([id]);
  });

  it('puts 1,001 lookups in two $batch requests and returns them in query order', async () => {
    const marker = `order-${randomUUID()}`;
    const ids = await client.createMultiple(
      'leads',
      'lead',
      Array.from({ length: 3 }, (_, i) => ({ lastname: `${marker}-${i}` })),
    );
    const queries = Array.from({ length: 1001 }, (_, i) => ({
      table: 'lead' as const,
      column: 'lastname',
      values: [`${marker}-${i % 4}`],
      select: ['lastname'],
    }));
    const { result, requests } = await requestsFor(() => find(queries));
    expect(requests).toBe(2);
    expect(result).toHaveLength(1001);
    result.forEach((records, i) => expect(records.map((r) => r.id)).toEqual(i % 4 === 3 ? [] : [ids[i % 4]]));
  });

  it('follows nextLinks in further $batch rounds when a lookup has more rows than a page', async () => {
    const paged = recordsConnector(running, clock, { records: { lookup: { pageSize: 7 } } });
    try {
      const company = `Paging ${randomUUID()}`;
      const other = `Paging ${randomUUID()}`;
      await client.createMultiple('leads', 'lead', [
        ...Array.from({ length: 25 }, (_, i) => ({ lastname: `P${i}`, companyname: company })),
        ...Array.from({ length: 10 }, (_, i) => ({ lastname: `Q${i}`, companyname: other })),
      ]);
      const before = paged.httpRequests();
      const [many, few] = await paged.dynamics.records.findRecords(paged.connection, paged.credentials, [
        { table: 'lead', column: 'companyname', values: [company], select: ['companyname'] },
        { table: 'lead', column: 'companyname', values: [other], select: ['companyname'] },
      ]);
      expect(new Set(many?.map((record) => record.id)).size).toBe(25);
      expect(many).toHaveLength(25);
      expect(few).toHaveLength(10);
      // Pages of 7: 25 rows take four rounds, and the 10 ride along in the first two.
      expect(paged.httpRequests() - before).toBe(4);
    } finally {
      await paged.close();
    }
  });

  it('fails the whole call when a lookup is refused, rather than finding nothing', async () => {
    const failure = await failureOf(
      find([{ table: 'lead', column: 'nosuchcolumn', values: ['x'], select: [] }]),
    );
    expect(failure).toMatchObject({ code: 'crm_validation_failed', vendor: { code: '0x80060888' } });
  });
});

async function leadsWithLastname(lastname: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of client.retrieveAll('leads', {
    select: ['leadid'],
    filter: `lastname eq ${odataString(lastname)}`,
  }))
    ids.push(String(row['leadid']));
  return ids;
}

describe('createRecords', () => {
  it('syncs 1,000 new leads with one lookup $batch and one CreateMultiple, and a retry creates nothing twice', async () => {
    const marker = `sync-${randomUUID()}`;
    const leads = Array.from({ length: 1000 }, (_, i) => ({
      id: deterministicGuid('test-sync', marker, i),
      values: {
        lastname: `Synced ${i}`,
        emailaddress1: `synced-${i}-${marker}@example.com`,
        subject: marker,
      },
    }));
    const first = await requestsFor(async () => {
      const [existing] = await find([
        {
          table: 'lead',
          column: 'emailaddress1',
          values: leads.map((lead) => String(lead.values.emailaddress1)),
          select: ['emailaddress1'],
        },
      ]);
      expect(existing).toEqual([]);
      return create(leads);
    });
    expect(first.requests).toBe(2);
    expect(first.result).toEqual(leads.map((lead) => ({ id: lead.id, ok: true })));

    // The same batch again, as after a crash between writing and recording: nothing new, all done.
    const again = await requestsFor(() => create(leads));
    expect(again.result).toEqual(leads.map((lead) => ({ id: lead.id, ok: true, alreadyExisted: true })));
    // The refused CreateMultiple and one lookup of which ids exist.
    expect(again.requests).toBe(2);
    const stored = await leadsWithSubject(marker);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((row) => row['leadid'])).size).toBe(1000);
  });

  it('creates the new records of a batch where some ids exist already', async () => {
    const marker = `mixed-${randomUUID()}`;
    const records = Array.from({ length: 10 }, (_, i) => ({
      id: deterministicGuid('test-mixed', marker, i),
      values: { lastname: `Mixed ${i}`, subject: marker },
    }));
    await create([1, 4, 5, 8].map((i) => records[i] as CrmRecordWrite));
    const { result, requests } = await requestsFor(() => create(records));
    expect(result.map((outcome) => (outcome.ok ? (outcome.alreadyExisted ?? false) : 'failed'))).toEqual([
      false,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
    expect(requests).toBe(3);
    expect(await leadsWithSubject(marker)).toHaveLength(10);
  });

  it('isolates refused records, creates the others, and says why in plain words', async () => {
    const marker = `refused-${randomUUID()}`;
    const records = Array.from({ length: 100 }, (_, i) => ({
      id: randomUUID(),
      values: { lastname: `Good ${i}`, subject: marker } as Record<string, unknown>,
    }));
    records[17] = {
      id: records[17]?.id ?? randomUUID(),
      values: { lastname: 'Long', subject: `${marker}${'x'.repeat(300)}` },
    };
    records[63] = {
      id: records[63]?.id ?? randomUUID(),
      values: { lastname: 'Choice', subject: marker, leadsourcecode: 99 },
    };
    const { result, requests } = await requestsFor(() => create(records));
    const failed = result.flatMap((outcome, index) => (outcome.ok ? [] : [{ index, error: outcome.error }]));
    expect(failed.map((entry) => entry.index)).toEqual([17, 63]);
    expect(failed[0]?.error).toMatchObject({
      code: 'crm_validation_failed',
      retryable: false,
      vendorCode: '0x80044331',
      message: expect.stringContaining(
        'subject is longer than the 300 characters Dynamics 365 allows on lead.',
      ),
    });
    expect(failed[1]?.error).toMatchObject({
      code: 'crm_validation_failed',
      vendorCode: '0x8004431A',
      message: expect.stringContaining('99 is not one of the choices of lead.leadsourcecode.'),
    });
    // The first refusal names subject, the retry of the rest names leadsourcecode, the third goes through.
    expect(requests).toBe(3);
    expect(await leadsWithSubject(marker)).toHaveLength(98);
  });

  it('throws whole-request failures instead of failing each record', async () => {
    const failing = await startDataverseEmulator({ limits: 'off', faults: { rates: { '500': 1 } } });
    const broken = recordsConnector(failing, new SharedClock(), { retry: { maxAttempts: 2 } });
    try {
      const failure = await failureOf(
        broken.dynamics.records.createRecords(broken.connection, broken.credentials, 'lead', [
          { id: randomUUID(), values: { lastname: 'Never' } },
        ]),
      );
      expect(failure).toMatchObject({ code: 'crm_unavailable', retryable: true });
    } finally {
      await broken.close();
      await failing.close();
    }
  });

  it('refuses ids that are no GUID or come twice, without a request for them', async () => {
    const id = randomUUID();
    const { result, requests } = await requestsFor(() =>
      create([
        { id: 'not-a-guid', values: { lastname: 'Bad id' } },
        { id, values: { lastname: 'Once' } },
        { id: id.toUpperCase(), values: { lastname: 'Twice' } },
      ]),
    );
    expect(result.map((outcome) => outcome.ok)).toEqual([false, true, false]);
    expect(result[0]).toMatchObject({ ok: false, error: { code: 'crm_validation_failed' } });
    expect(requests).toBe(1);
  });
});

describe('updateRecords', () => {
  it('updates with UpdateMultiple, and a deleted record is crm_record_not_found while the rest is written', async () => {
    const marker = `update-${randomUUID()}`;
    const ids = await client.createMultiple(
      'leads',
      'lead',
      Array.from({ length: 5 }, (_, i) => ({ lastname: `Update ${i}`, subject: marker })),
    );
    await client.delete('leads', ids[2] ?? '');
    const { result, requests } = await requestsFor(() =>
      update(ids.map((id) => ({ id, values: { jobtitle: 'Updated' } }))),
    );
    expect(result.map((outcome) => outcome.ok)).toEqual([true, true, false, true, true]);
    expect(result[2]).toMatchObject({
      id: ids[2],
      ok: false,
      error: {
        code: 'crm_record_not_found',
        vendorCode: '0x80040217',
        message: expect.stringContaining(`The lead ${ids[2]} does not exist in Dynamics 365`),
      },
    });
    // The refusal names the missing id, so the rest goes again straight away.
    expect(requests).toBe(2);
    const rows = await leadsWithSubject(marker);
    expect(rows.map((row) => row['jobtitle'])).toEqual(['Updated', 'Updated', 'Updated', 'Updated']);
  });

  it('isolates a refused value in an update the same way', async () => {
    const marker = `update-refused-${randomUUID()}`;
    const ids = await client.createMultiple(
      'leads',
      'lead',
      Array.from({ length: 8 }, (_, i) => ({ lastname: `U${i}`, subject: marker })),
    );
    const result = await update(
      ids.map((id, i) => ({ id, values: { jobtitle: i === 5 ? 'x'.repeat(101) : 'Fine' } })),
    );
    expect(result.map((outcome) => outcome.ok)).toEqual([true, true, true, true, true, false, true, true]);
    expect(result[5]).toMatchObject({
      ok: false,
      error: { code: 'crm_validation_failed', vendorCode: '0x80044331' },
    });
  });
});
