import { afterEach, beforeEach, expect } from 'vitest';
import type { NewCrmConnection, NewLeadSource } from '../../domain/index.js';
import { LeadbridgeError, type ErrorCode } from '../../shared/index.js';
import { hashToken } from '../../shared/opaque-token.js';
import { createRepositories, type StoreRepositories } from '../create-repositories.js';
import { migrateToLatest, type MigrationReport } from '../migrations/migrate-to-latest.js';
import { SecretKey } from '../secrets/secret-key.js';
import type { StoreClock } from '../store-clock.js';
import type { StoreDatabase } from '../store-database.js';
import type { TestStore, TestStoreFactory } from './test-store.js';

/** What a store test works with; fields are replaced before each test. */
export interface StoreFixture {
  testStore: TestStore;
  store: StoreDatabase;
  repos: StoreRepositories;
  /** The key `repos` seal secrets with. */
  secretKey: SecretKey;
  /** What migrating the empty store applied. */
  migration: MigrationReport;
  readonly clock: StoreClock;
  /** The instant the clock shows. */
  now(): string;
  advance(ms: number): void;
}

/** A fresh, migrated store per test with a clock that only moves when told (call inside `describe`). */
export function useStoreFixture(factory: TestStoreFactory): StoreFixture {
  let now = new Date(0);
  const clock: StoreClock = () => new Date(now);
  const fixture = {
    clock,
    now: () => now.toISOString(),
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  } as StoreFixture;
  beforeEach(async () => {
    fixture.testStore = await factory();
    fixture.store = fixture.testStore.store;
    fixture.migration = await migrateToLatest(fixture.store);
    now = new Date('2031-03-04T05:06:07.890Z');
    fixture.secretKey = SecretKey.generate();
    fixture.repos = createRepositories(fixture.store, { secretKey: fixture.secretKey, clock });
  });
  afterEach(async () => {
    await fixture.testStore.dispose();
  });
  return fixture;
}

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<LeadbridgeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected LeadbridgeError(${code})`).toBeInstanceOf(LeadbridgeError);
  expect((error as LeadbridgeError).code).toBe(code);
  return error as LeadbridgeError;
}

export const CLIENT_SECRET = 'Sup3r~Secret.Value_that-must-not-leak';
export const REFRESH_TOKEN = 'refresh-token-0.AUsAplaintextRefreshToken';
export const TENANT = '11111111-2222-3333-4444-555555555555';
export const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-private\n-----END PRIVATE KEY-----\n';
export const CERTIFICATE =
  '-----BEGIN CERTIFICATE-----\nMIIC+zCCAeOgAwIBAgIJAL-public\n-----END CERTIFICATE-----\n';

/** The stored hash of the n-th made-up session token. */
export const sessionTokenHash = (n: number): string => hashToken(`session-token-${n}`);

/** An MSAL-shaped serialized cache holding a refresh token. */
export const msalCache = (homeAccountId: string, refreshToken = REFRESH_TOKEN): string =>
  JSON.stringify({
    Account: { [`${homeAccountId}-login.microsoftonline.com-${TENANT}`]: { home_account_id: homeAccountId } },
    RefreshToken: { rt: { credential_type: 'RefreshToken', secret: refreshToken } },
  });

/** The n-th client-secret connection, each on its own environment with its own secret. */
export const connectionInput = (n: number, overrides: Partial<NewCrmConnection> = {}): NewCrmConnection => ({
  name: `Contoso ${n}`,
  environmentUrl: `https://org${n}.crm.dynamics.com`,
  tenantId: TENANT,
  clientId: CLIENT,
  authKind: 'client_secret',
  credentials: { clientSecret: `${CLIENT_SECRET}-${n}` },
  ...overrides,
});

export const leadSourceInput = (overrides: Partial<NewLeadSource> = {}): NewLeadSource => ({
  name: 'Website form',
  kind: 'api',
  fields: [
    { name: 'email', label: 'Email', type: 'email', required: true, maxLength: 100 },
    { name: 'fullName', label: 'Name', type: 'text', required: false },
    { name: 'interest', label: 'Interest', type: 'select', required: false, options: ['Demo', 'Pricing'] },
  ],
  mappings: {
    lead: {
      table: 'lead',
      columns: [
        { column: 'emailaddress1', value: { kind: 'field', field: 'email' }, transforms: [{ kind: 'trim' }] },
        {
          column: 'firstname',
          value: { kind: 'field', field: 'fullName' },
          transforms: [{ kind: 'split_full_name', part: 'first' }],
        },
        { column: 'leadsourcecode', value: { kind: 'constant', value: 8 }, choiceBy: 'value' },
      ],
    },
  },
  duplicates: {
    mode: 'policy',
    policy: { check: 'contacts_then_leads', keys: 'email', onDuplicate: 'none', create: 'lead' },
  },
  syncIntervalMinutes: 5,
  enabled: true,
  ...overrides,
});

/** Opens a second handle on the store's database where the factory can (PostgreSQL), runs `work`, closes it. */
export async function withSecondHandle<T>(
  testStore: TestStore,
  work: (other: StoreDatabase | undefined) => Promise<T>,
): Promise<T> {
  const other = await testStore.openAnother?.();
  try {
    return await work(other);
  } finally {
    await other?.close();
  }
}
