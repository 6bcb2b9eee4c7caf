import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDatabase,
  createRepositories,
  migrateToLatest,
  SecretKey,
  type StoreRepositories,
} from '../store/index.js';
import type { StoreDatabase } from '../store/store-database.js';
import { tempDataDir } from '../../test/support/temp-data-dir.js';
import { CreationQuota } from './creation-quota.js';

let store: StoreDatabase;
let repositories: StoreRepositories;
let userId: string;
let now = new Date('2026-12-31T23:00:00.000Z');

beforeEach(async () => {
  store = await createDatabase({ dataDir: tempDataDir().dir });
  await migrateToLatest(store);
  repositories = createRepositories(store, { secretKey: SecretKey.generate() });
  userId = (
    await repositories.users.create({
      email: 'sales@example.com',
      displayName: 'Sales',
      passwordHash: 'scrypt$'.padEnd(40, 'x'),
      role: 'salesperson',
    })
  ).id;
});
afterEach(async () => store.close());

describe('CreationQuota', () => {
  it('allows up to the limit, then refuses with the count and the reset date, and resets next month', async () => {
    const quota = new CreationQuota(repositories.quotaUsage, { limit: 3, now: () => now });
    await expect(quota.reserve(userId, 2)).resolves.toMatchObject({ used: 2, remaining: 1 });
    await expect(quota.reserve(userId, 2)).rejects.toMatchObject({
      code: 'quota_exceeded',
      message: expect.stringMatching(/created 2 of 3 .* resets on 2027-01-01/),
    });
    await expect(quota.reserve(userId, 1)).resolves.toMatchObject({ used: 3, remaining: 0 });
    await expect(quota.reserve(userId)).rejects.toMatchObject({ code: 'quota_exceeded' });
    now = new Date('2027-01-01T00:00:01.000Z');
    await expect(quota.current(userId)).resolves.toMatchObject({ month: '2027-01', used: 0, remaining: 3 });
    await expect(quota.reserve(userId)).resolves.toMatchObject({ used: 1 });
  });

  it('never lets parallel reservations pass the limit together', async () => {
    const quota = new CreationQuota(repositories.quotaUsage, { limit: 1_000, now: () => now });
    const outcomes = await Promise.allSettled(Array.from({ length: 120 }, () => quota.reserve(userId, 10)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(100);
    await expect(quota.current(userId)).resolves.toMatchObject({ used: 1_000 });
  });
});
