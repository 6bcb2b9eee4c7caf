import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundLeadRepository, NewInboundLead } from '../domain/index.js';
import {
  createDatabase,
  createRepositories,
  migrateToLatest,
  SecretKey,
  type StoreRepositories,
} from '../store/index.js';
import type { StoreDatabase } from '../store/store-database.js';
import { tempDataDir } from '../../test/support/temp-data-dir.js';
import { AcceptBatcher } from './accept-batcher.js';

let store: StoreDatabase;
let repositories: StoreRepositories;
let sourceId: string;
let connectionId: string;

beforeEach(async () => {
  store = await createDatabase({ dataDir: tempDataDir().dir });
  await migrateToLatest(store);
  repositories = createRepositories(store, { secretKey: SecretKey.generate() });
  connectionId = (
    await repositories.crmConnections.create({
      name: 'C',
      environmentUrl: 'https://org.crm.dynamics.com/',
      tenantId: '00000000-0000-4000-8000-000000000001',
      clientId: '00000000-0000-4000-8000-000000000002',
      authKind: 'client_secret',
      credentials: { clientSecret: 'secret' },
    })
  ).id;
  sourceId = (
    await repositories.leadSources.create({
      name: 'S',
      kind: 'api',
      fields: [],
      mappings: {},
      duplicates: { mode: 'strategy' },
      syncIntervalMinutes: 5,
      enabled: true,
    })
  ).id;
});
afterEach(async () => store.close());

/** The real repository, counting its transactions. */
function counting(leads: InboundLeadRepository) {
  const calls: number[] = [];
  return {
    calls,
    accept: async (batch: readonly NewInboundLead[], job: { connectionId: string }) => {
      calls.push(batch.length);
      return leads.accept(batch, job);
    },
  };
}

const lead = (key: string): NewInboundLead => ({
  sourceId,
  idempotencyKey: key,
  payload: { email: `${key}@x.com` },
});

describe('AcceptBatcher', () => {
  it('groups concurrent requests into few transactions and answers each with its own leads', async () => {
    const repository = counting(repositories.inboundLeads);
    const batcher = new AcceptBatcher(repository);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => batcher.accept([lead(`k${i}`), lead(`k${i}-b`)], connectionId)),
    );
    expect(repository.calls.length).toBeLessThan(20);
    expect(repository.calls.reduce((a, b) => a + b, 0)).toBe(400);
    const stored = await repositories.inboundLeads.getMany(answers.flat().map((a) => a.id));
    expect(stored).toHaveLength(400);
    answers.forEach((answer, i) => {
      const keys = stored.filter((s) => answer.some((a) => a.id === s.id)).map((s) => s.idempotencyKey);
      expect(keys.sort()).toEqual([`k${i}`, `k${i}-b`].sort());
    });
    expect((await repositories.jobQueue.counts(connectionId)).ready).toBe(400);
  });

  it('gives two requests with the same key the same id, the second as a duplicate', async () => {
    const batcher = new AcceptBatcher(repositories.inboundLeads);
    const [first, second] = await Promise.all([
      batcher.accept([lead('same')], connectionId),
      batcher.accept([lead('same')], connectionId),
      batcher.accept([lead('other')], connectionId),
    ]);
    expect(second![0]!.id).toBe(first![0]!.id);
    expect([first![0]!.duplicate, second![0]!.duplicate].filter(Boolean)).toHaveLength(1);
    expect((await repositories.jobQueue.counts(connectionId)).ready).toBe(2);
  });

  it('fails only the request whose leads the store refuses', async () => {
    const batcher = new AcceptBatcher(repositories.inboundLeads);
    const results = await Promise.allSettled([
      batcher.accept([lead('good-1')], connectionId),
      batcher.accept([{ sourceId: 'not-a-source-id', idempotencyKey: 'bad', payload: {} }], connectionId),
      batcher.accept([lead('good-2')], connectionId),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await repositories.jobQueue.counts(connectionId)).ready).toBe(2);
  });
});
