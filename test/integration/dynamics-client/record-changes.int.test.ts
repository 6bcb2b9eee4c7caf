/**
 * The CrmRecordGateway's change reads (delta links where the table tracks changes, a `modifiedon`
 * watermark where it does not), marketing lists, metadata, and a whole sync under tiny service
 * protection limits — against the emulator over real HTTPS.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataverseClient } from '../../../src/connectors/dynamics/index.js';
import { deterministicGuid } from '../../../src/shared/ids.js';
import { startDataverseEmulator, type RunningEmulator } from '../../support/dataverse-emulator.js';
import { failureOf, recordsConnector, SharedClock } from './dynamics-test-support.js';

let running: RunningEmulator;
let gateway: ReturnType<typeof recordsConnector>;
let client: DataverseClient;
const clock = new SharedClock();

beforeAll(async () => {
  // Contacts without change tracking, as an administrator may leave a table.
  running = await startDataverseEmulator({
    limits: 'off',
    now: clock.now,
    changeTrackingTables: ['lead', 'account', 'list', 'listmember'],
    seedCounts: { accounts: 3, contacts: 12, leads: 30, opportunities: 0 },
  });
  gateway = recordsConnector(running, clock);
  client = gateway.dynamics.client(gateway.connection, gateway.credentials);
  await client.whoAmI();
});
afterAll(async () => {
  await gateway?.close();
  await running?.close();
});

const changed = (table: 'lead' | 'contact', select: readonly string[], cursor?: string) =>
  gateway.dynamics.records.changedRecords(gateway.connection, gateway.credentials, table, select, cursor);

async function requestsFor<T>(work: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = gateway.httpRequests();
  const result = await work();
  return { result, requests: gateway.httpRequests() - before };
}

describe('changedRecords with change tracking (lead)', () => {
  it('starts from now, then returns what was created, modified and deleted since', async () => {
    const [existing] = await client.createMultiple('leads', 'lead', [{ lastname: 'Before' }]);
    const start = await requestsFor(() => changed('lead', ['lastname']));
    expect(start.result.records).toEqual([]);
    expect(start.result.deletedIds).toEqual([]);
    expect(start.result.cursor).toMatch(/^delta:https:\/\/.+\$deltatoken=/);
    // Metadata (one $batch, then cached) and the initial read of ids (one page here).
    expect(start.requests).toBe(2);

    const unchanged = await requestsFor(() => changed('lead', ['lastname'], start.result.cursor));
    expect(unchanged.result).toMatchObject({ records: [], deletedIds: [] });
    expect(unchanged.requests).toBe(1);

    const [fresh] = await client.createMultiple('leads', 'lead', [{ lastname: 'Created', jobtitle: 'New' }]);
    await client.update('leads', existing ?? '', { lastname: 'Modified' });
    const second = await requestsFor(() =>
      changed('lead', ['lastname', 'jobtitle'], unchanged.result.cursor),
    );
    expect(second.result.records.map((record) => [record.id, record.values['lastname']]).sort()).toEqual(
      [
        [existing, 'Modified'],
        [fresh, 'Created'],
      ].sort(),
    );
    expect(second.result.records.find((record) => record.id === fresh)).toMatchObject({
      table: 'lead',
      values: { lastname: 'Created', jobtitle: 'New' },
      createdOn: expect.any(String),
      modifiedOn: expect.any(String),
    });
    expect(second.result.deletedIds).toEqual([]);
    // The delta, then the changed rows with the wanted columns in one $batch.
    expect(second.requests).toBe(2);

    await client.delete('leads', existing ?? '');
    const third = await changed('lead', ['lastname'], second.result.cursor);
    expect(third.records).toEqual([]);
    expect(third.deletedIds).toEqual([existing]);

    const quiet = await changed('lead', ['lastname'], third.cursor);
    expect(quiet).toMatchObject({ records: [], deletedIds: [] });
  });

  it('pages through the initial read to reach the delta link', async () => {
    const paged = recordsConnector(running, clock, { records: { lookup: { pageSize: 10 } } });
    try {
      const leads = await countRows('leads');
      const before = paged.httpRequests();
      const start = await paged.dynamics.records.changedRecords(
        paged.connection,
        paged.credentials,
        'lead',
        [],
      );
      expect(start.cursor).toMatch(/^delta:/);
      expect(paged.httpRequests() - before).toBe(1 + Math.ceil(leads / 10));
    } finally {
      await paged.close();
    }
  });

  it('refuses a cursor it did not issue', async () => {
    expect(await failureOf(changed('lead', [], 'whatever'))).toMatchObject({ code: 'crm_validation_failed' });
    expect(
      await failureOf(changed('contact', [], 'modifiedon:2024-01-01T00:00:00Z) or (true;')),
    ).toMatchObject({
      code: 'crm_validation_failed',
    });
  });
});

describe('changedRecords without change tracking (contact)', () => {
  it('uses a modifiedon watermark that loses nothing written in the same second', async () => {
    const metadata = await gateway.dynamics.records.tableMetadata(
      gateway.connection,
      gateway.credentials,
      'contact',
    );
    expect(metadata).toMatchObject({
      logicalName: 'contact',
      entitySetName: 'contacts',
      changeTrackingEnabled: false,
    });

    clock.freeze();
    try {
      await sameSecondSequence();
    } finally {
      clock.unfreeze();
    }
  });
});

/** With the clock frozen, every write below lands in the same second (until `advance`). */
async function sameSecondSequence(): Promise<void> {
  const [first] = await client.createMultiple('contacts', 'contact', [{ lastname: 'First' }]);
  const start = await requestsFor(() => changed('contact', ['lastname']));
  expect(start.result.records).toEqual([]);
  expect(start.result.cursor).toMatch(/^modifiedon:\d{4}-\d{2}-\d{2}T/);
  expect(start.requests).toBe(1);

  // Same second as the watermark: a `gt` query would miss both of these.
  await client.update('contacts', first ?? '', { lastname: 'First, edited' });
  const [second] = await client.createMultiple('contacts', 'contact', [{ lastname: 'Second' }]);
  const next = await changed('contact', ['lastname'], start.result.cursor);
  // Within one second Dataverse orders by the primary key, not by the time of writing.
  expect(next.records.map((record) => [record.id, record.values['lastname']]).sort()).toEqual(
    [
      [first, 'First, edited'],
      [second, 'Second'],
    ].sort(),
  );
  expect(next.deletedIds).toEqual([]);

  const again = await changed('contact', ['lastname'], next.cursor);
  expect(again.records).toEqual([]);

  clock.advance(2000);
  const [third] = await client.createMultiple('contacts', 'contact', [{ lastname: 'Third' }]);
  const later = await changed('contact', ['lastname'], again.cursor);
  expect(later.records.map((record) => record.id)).toEqual([third]);
  expect(later.cursor).not.toBe(again.cursor);
}

async function countRows(entitySet: string): Promise<number> {
  let count = 0;
  for await (const row of client.retrieveAll(entitySet, { select: [] })) if (row) count++;
  return count;
}

describe('addToMarketingList', () => {
  it('adds leads to a marketing list with one AddListMembersList request, once each', async () => {
    const created = await client.create('lists', {
      listname: `Webinar ${randomUUID()}`,
      createdfromcode: 4,
      type: false,
    });
    const listId = created.id ?? '';
    const leads = await client.createMultiple(
      'leads',
      'lead',
      Array.from({ length: 12 }, (_, i) => ({ lastname: `Member ${i}` })),
    );
    const add = (ids: readonly string[]) =>
      gateway.dynamics.records.addToMarketingList(
        gateway.connection,
        gateway.credentials,
        listId,
        'lead',
        ids,
      );
    const { requests } = await requestsFor(() => add(leads.slice(0, 8)));
    expect(requests).toBe(1);
    await add(leads.slice(4));
    const members: string[] = [];
    for await (const row of client.retrieveAll('listmembers', {
      select: ['_entityid_value'],
      filter: `_listid_value eq ${listId}`,
    }))
      members.push(String(row['_entityid_value']));
    expect(members.sort()).toEqual([...leads].sort());

    const missing = randomUUID();
    expect(await failureOf(add([missing]))).toMatchObject({
      code: 'crm_record_not_found',
      vendor: { code: '0x80040217' },
    });
    expect(await failureOf(add(['nope']))).toMatchObject({ code: 'crm_validation_failed' });
  });
});

describe('under tiny service protection limits', () => {
  it('still syncs 1,000 leads, waiting out every 429 it is given', async () => {
    const throttledClock = new SharedClock();
    const tight = await startDataverseEmulator({
      limits: { maxRequests: 2, windowSeconds: 60 },
      now: throttledClock.now,
    });
    const sync = recordsConnector(tight, throttledClock);
    try {
      const marker = `throttled-${randomUUID()}`;
      const leads = Array.from({ length: 1000 }, (_, i) => ({
        id: deterministicGuid('test-throttled', marker, i),
        values: { lastname: `T${i}`, emailaddress1: `t${i}-${marker}@example.com`, subject: marker },
      }));
      const lookup = () =>
        sync.dynamics.records.findRecords(sync.connection, sync.credentials, [
          {
            table: 'lead',
            column: 'emailaddress1',
            values: leads.map((l) => String(l.values.emailaddress1)),
            select: [],
          },
        ]);
      expect(await lookup()).toEqual([[]]);
      const created = await sync.dynamics.records.createRecords(
        sync.connection,
        sync.credentials,
        'lead',
        leads,
      );
      expect(created.every((outcome) => outcome.ok && outcome.alreadyExisted === undefined)).toBe(true);
      const retried = await sync.dynamics.records.createRecords(
        sync.connection,
        sync.credentials,
        'lead',
        leads,
      );
      expect(retried.every((outcome) => outcome.ok && outcome.alreadyExisted === true)).toBe(true);
      const [found = []] = await lookup();
      expect(found).toHaveLength(1000);

      const throttled = sync.logger.retries().filter((retry) => retry['status'] === 429);
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttledClock.waits.length).toBe(throttled.length);
      // Lookup, create, refused re-create, which-ids-exist, lookup — each once, however often throttled.
      const ran = sync.logger.dataverse().filter((line) => line['status'] !== 429);
      const bulk = 'leads/Microsoft.Dynamics.CRM.CreateMultiple';
      expect(ran.map((line) => [line['path'], line['status']])).toEqual([
        ['$batch', 200],
        [bulk, 200],
        [bulk, 412],
        ['$batch', 200],
        ['$batch', 200],
      ]);
      // Throttled answers do not count toward the entitlement; every operation that ran does.
      expect(ran.filter((line) => line['path'] === bulk).map((line) => line['operations'])).toEqual([
        1000, 1000,
      ]);
      expect(sync.entitlement()).toBe(ran.reduce((sum, line) => sum + Number(line['operations'] ?? 1), 0));
    } finally {
      await sync.close();
      await tight.close();
    }
  });
});
