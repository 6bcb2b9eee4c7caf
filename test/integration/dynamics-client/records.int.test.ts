/**
 * The Dataverse client's operations over real HTTPS against the emulator: single-row writes and reads,
 * escaped filters, paging with a flat memory profile, $batch with change sets, the bulk messages and
 * table metadata.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationTokenSource,
  ConcurrencyBudgetRegistry,
  createDispatcher,
  DataverseClient,
  odataString,
  type DataverseRecord,
} from '../../../src/connectors/dynamics/index.js';
import { startDataverseEmulator, type RunningEmulator } from '../../support/dataverse-emulator.js';
import {
  failureOf,
  MemoryRequestCounter,
  RecordingLogger,
  SharedClock,
  secretOf,
} from './dynamics-test-support.js';

const SEEDED_LEADS = 320;
let running: RunningEmulator;
let client: DataverseClient;
let counter: MemoryRequestCounter;
let logger: RecordingLogger;
const clock = new SharedClock();
const dispatcher = createDispatcher();
const connectionId = 'records';

beforeAll(async () => {
  running = await startDataverseEmulator({
    limits: 'off',
    now: clock.now,
    seedCounts: { accounts: 5, contacts: 10, leads: SEEDED_LEADS, opportunities: 2 },
  });
  counter = new MemoryRequestCounter();
  logger = new RecordingLogger();
  const app = running.emulator.directory.applications[0];
  client = new DataverseClient({
    environmentUrl: running.url,
    connectionId,
    allowLoopback: true,
    dispatcher,
    tokens: new ApplicationTokenSource({
      connectionId,
      registration: {
        tenantId: running.emulator.directory.tenantId,
        clientId: app?.clientId ?? '',
        credentials: { clientSecret: secretOf(running) },
      },
      environmentUrl: running.url,
      authorityOrigin: new URL(running.url).origin,
      dispatcher,
      logger,
    }),
    requestCounter: counter,
    logger,
    concurrencyBudgets: new ConcurrencyBudgetRegistry(),
    now: clock.now,
    sleep: clock.sleep,
    metadataTtlMs: 60_000,
  });
});

afterAll(async () => {
  await client?.close();
  await dispatcher.close();
  await running?.close();
});

const requestsSoFar = () => counter.total(connectionId);
/** HTTP exchanges with the environment (one log line each), as opposed to the entitlement count. */
const httpRequestsSoFar = () => logger.dataverse().length;

async function collect(iterable: AsyncIterable<DataverseRecord>): Promise<DataverseRecord[]> {
  const rows: DataverseRecord[] = [];
  for await (const row of iterable) rows.push(row);
  return rows;
}

describe('single rows', () => {
  it('creates, retrieves, updates, upserts and deletes a lead', async () => {
    const created = await client.create('leads', {
      firstname: 'Ada',
      lastname: 'Lovelace',
      subject: 'Engines',
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.id ?? '';
    expect(await client.retrieve('leads', id, { select: ['fullname', 'subject'] })).toMatchObject({
      leadid: id,
      fullname: 'Ada Lovelace',
      subject: 'Engines',
    });

    await client.update('leads', id, { subject: 'Analytical Engine' });
    const updated = await client.update(
      'leads',
      id,
      { jobtitle: 'Analyst' },
      { returnRepresentation: true, select: ['subject', 'jobtitle'] },
    );
    expect(updated.record).toMatchObject({ subject: 'Analytical Engine', jobtitle: 'Analyst' });

    const fresh = randomUUID();
    expect(
      await client.upsert(
        'leads',
        fresh,
        { lastname: 'Upserted' },
        { returnRepresentation: true, select: ['lastname'] },
      ),
    ).toMatchObject({
      created: true,
      id: fresh,
    });
    expect(
      await client.upsert(
        'leads',
        fresh,
        { lastname: 'Again' },
        { returnRepresentation: true, select: ['lastname'] },
      ),
    ).toMatchObject({
      created: false,
      record: { lastname: 'Again' },
    });

    await client.delete('leads', fresh);
    const gone = await failureOf(client.retrieve('leads', fresh));
    expect(gone).toMatchObject({ code: 'crm_record_not_found', vendor: { code: '0x80040217' } });
    expect(gone.message).toContain('Does Not Exist');
  });

  it('never creates a row through update, and says a duplicate key is a duplicate', async () => {
    const missing = randomUUID();
    expect(await failureOf(client.update('leads', missing, { subject: 'x' }))).toMatchObject({
      code: 'crm_record_not_found',
    });
    await expect(client.retrieve('leads', missing)).rejects.toMatchObject({ code: 'crm_record_not_found' });

    const id = randomUUID();
    await client.create('leads', { leadid: id, lastname: 'Once' });
    const duplicate = await failureOf(client.create('leads', { leadid: id, lastname: 'Twice' }));
    expect(duplicate).toMatchObject({
      code: 'crm_duplicate',
      vendor: { code: '0x80040237' },
      afterAmbiguousFailure: false,
    });
  });

  it('maps a rejected value to crm_validation_failed with Dataverse’s reason', async () => {
    const failure = await failureOf(
      client.create('leads', { lastname: 'Too long', subject: 'x'.repeat(301) }),
    );
    expect(failure.code).toBe('crm_validation_failed');
    expect(failure.retryable).toBe(false);
    expect(failure.vendor?.message).toMatch(/subject/);
  });

  it('finds an O’Brien through an escaped filter literal, and nothing through an injection attempt', async () => {
    const id = (
      await client.create('leads', { lastname: "O'Brien", emailaddress1: 'obrien+leads@example.com' })
    ).id;
    const found = await collect(
      client.retrieveAll('leads', { select: ['lastname'], filter: `lastname eq ${odataString("O'Brien")}` }),
    );
    expect(found.map((row) => row['leadid'])).toContain(id);
    const injected = await collect(
      client.retrieveAll('leads', {
        select: ['lastname'],
        filter: `lastname eq ${odataString("x' or lastname ne 'x")}`,
      }),
    );
    expect(injected).toEqual([]);
    const byEmail = await collect(
      client.retrieveAll('leads', {
        select: ['emailaddress1'],
        filter: `emailaddress1 eq ${odataString('obrien+leads@example.com')}`,
      }),
    );
    expect(byEmail.map((row) => row['leadid'])).toEqual([id]);
  });
});

describe('retrieve-all', () => {
  it('follows nextLink over hundreds of rows with small pages, one request per page', async () => {
    const before = requestsSoFar();
    const pages: number[] = [];
    const ids = new Set<string>();
    for await (const page of client.retrievePages('leads', {
      select: ['fullname'],
      filter: "startswith(subject,'') or subject eq null",
      orderBy: ['createdon asc', 'leadid asc'],
      pageSize: 25,
    })) {
      pages.push(page.length);
      for (const row of page) ids.add(String(row['leadid']));
    }
    expect(ids.size).toBeGreaterThanOrEqual(SEEDED_LEADS);
    expect(pages.every((size) => size <= 25)).toBe(true);
    expect(pages.length).toBe(Math.ceil(ids.size / 25));
    expect(requestsSoFar() - before).toBe(pages.length);
    const lines = logger.dataverse().slice(-pages.length);
    expect(lines.every((line) => line['path'] === 'leads' && line['status'] === 200)).toBe(true);
  });

  it('asks for the next page only when the caller wants it', async () => {
    const before = requestsSoFar();
    let seen = 0;
    for await (const row of client.retrieveAll('leads', { select: ['fullname'], pageSize: 10 })) {
      expect(row['leadid']).toBeDefined();
      if (++seen === 15) break;
    }
    expect(requestsSoFar() - before).toBe(2);
  });

  it('refuses a page size Dataverse would not honour', async () => {
    const pages = client.retrievePages('leads', { pageSize: 5001 });
    await expect(pages.next()).rejects.toMatchObject({ code: 'crm_validation_failed' });
  });
});

describe('$batch', () => {
  it('runs a change set atomically with Content-ID references, next to a GET', async () => {
    const before = requestsSoFar();
    const name = `Batch Co ${randomUUID()}`;
    const outcomes = await client.executeBatch([
      {
        changeSet: [
          { method: 'POST', path: 'accounts', body: { name }, contentId: '10' },
          {
            method: 'POST',
            path: 'contacts',
            body: { lastname: 'Batch', 'parentcustomerid_account@odata.bind': '$10' },
          },
          { method: 'PATCH', path: '$10', body: { telephone1: '+1 555 0100' } },
        ],
      },
      { method: 'GET', path: `accounts?$select=name,telephone1&$filter=name eq ${odataString(name)}` },
    ]);
    if (outcomes[0]?.status === 'failed') throw outcomes[0].error;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['succeeded', 'succeeded']);
    const [changeSet, query] = outcomes;
    if (changeSet?.status !== 'succeeded' || query?.status !== 'succeeded') throw new Error('unexpected');
    expect(changeSet.responses.map((part) => [part.contentId, part.status])).toEqual([
      ['10', 204],
      ['1', 204],
      ['2', 204],
    ]);
    const accountId = changeSet.responses[0]?.id ?? '';
    const contactId = changeSet.responses[1]?.id ?? '';
    expect(
      await client.retrieve('contacts', contactId, { select: ['_parentcustomerid_value'] }),
    ).toMatchObject({
      _parentcustomerid_value: accountId,
    });
    expect(query.responses[0]?.body).toMatchObject({
      value: [{ accountid: accountId, name, telephone1: '+1 555 0100' }],
    });
    // One $batch request carrying four operations counts four toward the entitlement (plus the check).
    expect(requestsSoFar() - before).toBe(4 + 1);
  });

  it('rolls a failed change set back and stops there, unless told to continue', async () => {
    const name = `Rolled back ${randomUUID()}`;
    const failing = [
      {
        changeSet: [
          { method: 'POST' as const, path: 'accounts', body: { name } },
          {
            method: 'PATCH' as const,
            path: `contacts(${randomUUID()})`,
            body: { lastname: 'x' },
            headers: { 'If-Match': '*' },
          },
        ],
      },
      { method: 'POST' as const, path: 'accounts', body: { name: `${name} later` } },
    ];
    const stopped = await client.executeBatch(failing);
    expect(stopped[0]).toMatchObject({ status: 'failed', error: { code: 'crm_record_not_found' } });
    expect(stopped[1]).toEqual({ status: 'not_executed' });
    const continued = await client.executeBatch(failing, { continueOnError: true });
    expect(continued.map((outcome) => outcome.status)).toEqual(['failed', 'succeeded']);
    const accounts = await collect(
      client.retrieveAll('accounts', { select: ['name'], filter: `startswith(name,${odataString(name)})` }),
    );
    // The change set's account never exists; the later one exists once (only the second batch ran it).
    expect(accounts.map((row) => row['name'])).toEqual([`${name} later`]);
  });
});

describe('bulk messages', () => {
  it('creates 1,000 leads with one CreateMultiple request, counting 1,000 toward the entitlement', async () => {
    const marker = `bulk-${randomUUID()}`;
    const before = requestsSoFar();
    const httpBefore = httpRequestsSoFar();
    const ids = await client.createMultiple(
      'leads',
      'lead',
      Array.from({ length: 1000 }, (_, i) => ({ lastname: `Bulk ${i}`, subject: marker })),
    );
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    expect(httpRequestsSoFar() - httpBefore).toBe(1);
    // Every target is a data change for the entitlement (MSDocs bulk-operations, FAQ).
    expect(requestsSoFar() - before).toBe(1000);
    const stored = await collect(
      client.retrieveAll('leads', { select: ['lastname'], filter: `subject eq ${odataString(marker)}` }),
    );
    expect(stored).toHaveLength(1000);

    await client.updateMultiple(
      'leads',
      'lead',
      ids.slice(0, 300).map((leadid) => ({ leadid, jobtitle: 'Updated' })),
      { chunkSize: 100 },
    );
    const updated = await collect(
      client.retrieveAll('leads', {
        select: ['jobtitle'],
        filter: `subject eq ${odataString(marker)} and jobtitle eq 'Updated'`,
      }),
    );
    expect(updated).toHaveLength(300);

    const fresh = Array.from({ length: 50 }, () => randomUUID());
    await client.upsertMultiple('leads', 'lead', [
      ...fresh.map((leadid) => ({ leadid, lastname: 'Upserted', subject: marker })),
      ...ids.slice(0, 50).map((leadid) => ({ leadid, jobtitle: 'Upserted' })),
    ]);
    const all = await collect(
      client.retrieveAll('leads', { select: ['jobtitle'], filter: `subject eq ${odataString(marker)}` }),
    );
    expect(all).toHaveLength(1050);
    expect(all.filter((row) => row['jobtitle'] === 'Upserted')).toHaveLength(50);
  });

  it('sends more than 1,000 rows in chunks', async () => {
    const before = httpRequestsSoFar();
    const ids = await client.createMultiple(
      'leads',
      'lead',
      Array.from({ length: 1201 }, (_, i) => ({ lastname: `Chunk ${i}` })),
    );
    expect(ids).toHaveLength(1201);
    expect(httpRequestsSoFar() - before).toBe(2);
  });
});

describe('metadata', () => {
  it('reads columns, required levels, lengths and choice labels, and caches them', async () => {
    const before = requestsSoFar();
    const lead = await client.tableMetadata('lead');
    expect(lead).toMatchObject({ logicalName: 'lead', entitySetName: 'leads', primaryIdAttribute: 'leadid' });
    expect(lead.columns.get('subject')).toMatchObject({ type: 'String', maxLength: 300 });
    expect(lead.columns.get('lastname')?.requiredLevel).toMatch(/Required|None|Recommended/);
    expect(lead.columns.get('leadid')).toMatchObject({ requiredLevel: 'SystemRequired' });
    expect(lead.columns.get('description')).toMatchObject({ type: 'Memo', maxLength: expect.any(Number) });
    expect(lead.columns.get('leadsourcecode')?.options).toContainEqual({ value: 8, label: 'Web' });
    expect(lead.columns.get('statuscode')?.options).toContainEqual({ value: 1, label: 'New' });
    const metadataRequests = requestsSoFar() - before;
    expect(metadataRequests).toBeGreaterThan(0);

    expect(await client.choiceOptions('lead', 'leadsourcecode')).toHaveLength(10);
    expect(requestsSoFar() - before).toBe(metadataRequests);

    clock.advance(61_000);
    await client.tableMetadata('lead');
    expect(requestsSoFar() - before).toBe(2 * metadataRequests);
    await expect(client.choiceOptions('lead', 'subject')).rejects.toMatchObject({
      code: 'crm_validation_failed',
    });
    await expect(client.tableMetadata('nosuchtable')).rejects.toMatchObject({ code: 'crm_record_not_found' });
  });
});
