import { inspect } from 'node:util';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrmConnection, NewCrmConnection } from '../../domain/index.js';
import { LeadbridgeError, type ErrorCode } from '../../shared/index.js';
import { createRepositories, type StoreRepositories } from '../create-repositories.js';
import { MIGRATIONS, migrateToLatest, type MigrationReport } from '../migrations/migrate-to-latest.js';
import { hashToken } from '../../shared/opaque-token.js';
import { countSecretsByKeyId, rotateSecrets, verifySecretKey } from '../secrets/rotate-secrets.js';
import { SecretKey } from '../secrets/secret-key.js';
import type { StoreDatabase } from '../store-database.js';
import { describeInboundLeadSuite } from './inbound-lead-suite.js';
import { describeJobQueueSuite } from './job-queue-suite.js';
import { describeLeadSourceSuite } from './lead-source-suite.js';
import { describeMatchingStrategySuite } from './matching-strategy-suite.js';
import { describeQuotaUsageSuite } from './quota-usage-suite.js';
import { leadSourceInput } from './store-fixture.js';
import { describeSyncLogSuite } from './sync-log-suite.js';
import type { TestStore, TestStoreFactory } from './test-store.js';

const CLIENT_SECRET = 'Sup3r~Secret.Value_that-must-not-leak';
const REFRESH_TOKEN = 'refresh-token-0.AUsAplaintextRefreshToken';
const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-private\n-----END PRIVATE KEY-----\n';
const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIC+zCCAeOgAwIBAgIJAL-public\n-----END CERTIFICATE-----\n';

const sha256 = (n: number): string => hashToken(`session-token-${n}`);

/** An MSAL-shaped serialized cache holding a refresh token. */
const msalCache = (homeAccountId: string, refreshToken = REFRESH_TOKEN): string =>
  JSON.stringify({
    Account: { [`${homeAccountId}-login.microsoftonline.com-${TENANT}`]: { home_account_id: homeAccountId } },
    RefreshToken: { rt: { credential_type: 'RefreshToken', secret: refreshToken } },
  });

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<LeadbridgeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected LeadbridgeError(${code})`).toBeInstanceOf(LeadbridgeError);
  expect((error as LeadbridgeError).code).toBe(code);
  return error as LeadbridgeError;
}

const connectionInput = (n: number, overrides: Partial<NewCrmConnection> = {}): NewCrmConnection => ({
  name: `Contoso ${n}`,
  environmentUrl: `https://org${n}.crm.dynamics.com`,
  tenantId: TENANT,
  clientId: CLIENT,
  authKind: 'client_secret',
  credentials: { clientSecret: `${CLIENT_SECRET}-${n}` },
  ...overrides,
});

async function primaryCount(store: StoreDatabase): Promise<number> {
  const rows = await store.db
    .selectFrom('crm_connections')
    .select('id')
    .where('is_primary', '=', 1)
    .execute();
  return rows.length;
}

async function rawSealedValues(store: StoreDatabase): Promise<string[]> {
  const connections = await store.db.selectFrom('crm_connections').select('credentials_sealed').execute();
  const caches = await store.db.selectFrom('crm_token_caches').select('cache_sealed').execute();
  return [
    ...connections.flatMap((row) => (row.credentials_sealed === null ? [] : [row.credentials_sealed])),
    ...caches.map((row) => row.cache_sealed),
  ];
}

/**
 * The repository suite every dialect must pass. `factory` gives a fresh, empty store per test; the
 * suite migrates it, and asserts on results read back (often straight from the tables).
 */
export function describeStoreSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`store on ${dialect}`, () => {
    let testStore: TestStore;
    let store: StoreDatabase;
    let firstMigration: MigrationReport;
    let key: SecretKey;
    let repos: StoreRepositories;
    let now: Date;
    const clock = (): Date => new Date(now);
    const advance = (ms: number): void => {
      now = new Date(now.getTime() + ms);
    };

    beforeEach(async () => {
      testStore = await factory();
      store = testStore.store;
      firstMigration = await migrateToLatest(store);
      key = SecretKey.generate();
      now = new Date('2031-03-04T05:06:07.890Z');
      repos = createRepositories(store, { secretKey: key, clock });
    });

    afterEach(async () => {
      await testStore.dispose();
    });

    describe('migrations', () => {
      it('apply every migration once, and are a no-op when run again', async () => {
        expect(store.dialect).toBe(dialect);
        expect(firstMigration.applied).toEqual(Object.keys(MIGRATIONS));
        expect((await migrateToLatest(store)).applied).toEqual([]);
        expect((await migrateToLatest(store)).applied).toEqual([]);
        await repos.users.create({
          email: 'a@example.com',
          displayName: 'A',
          passwordHash: 'scrypt$'.padEnd(40, 'x'),
          role: 'admin',
        });
        expect(await repos.users.count()).toBe(1);
      });
    });

    describe('users', () => {
      const newUser = (email: string, role: 'admin' | 'salesperson' = 'salesperson') => ({
        email,
        displayName: 'Ada Lovelace',
        passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
        role,
      });

      it('keeps emails unique case-insensitively, Unicode included', async () => {
        const ada = await repos.users.create(newUser('Ada@Example.com'));
        expect(ada.email).toBe('Ada@Example.com');
        await expectCode(repos.users.create(newUser('ada@EXAMPLE.COM')), 'conflict');
        await repos.users.create(newUser('ÉLODIE@example.com'));
        await expectCode(repos.users.create(newUser('élodie@example.com')), 'conflict');
        expect((await repos.users.findByEmail('  ADA@example.com '))?.id).toBe(ada.id);
        expect(await repos.users.count()).toBe(2);
      });

      it('validates email and role at the edge', async () => {
        await expectCode(repos.users.create(newUser('not-an-email')), 'invalid_body');
        await expectCode(
          repos.users.create({ ...newUser('b@example.com'), role: 'owner' as 'admin' }),
          'invalid_body',
        );
        const user = await repos.users.create(newUser('b@example.com'));
        await expectCode(repos.users.updateRole(user.id, 'root' as 'admin'), 'invalid_body');
        expect(await repos.users.count()).toBe(1);
      });

      it('keeps the password hash out of users, but gives it to sign-in', async () => {
        const user = await repos.users.create(newUser('c@example.com'));
        expect(JSON.stringify(user)).not.toContain('scrypt');
        expect(JSON.stringify(await repos.users.list())).not.toContain('scrypt');
        const signIn = await repos.users.findForSignIn('C@example.com');
        expect(signIn?.passwordHash).toBe('scrypt$16384$8$1$c2FsdA$aGFzaA');
        await repos.users.updatePasswordHash(user.id, 'scrypt$16384$8$1$bmV3$bmV3aGFzaA');
        expect((await repos.users.findForSignIn('c@example.com'))?.passwordHash).toBe(
          'scrypt$16384$8$1$bmV3$bmV3aGFzaA',
        );
      });

      it('finds by id, lists, changes roles and disables (ending sessions)', async () => {
        const b = await repos.users.create(newUser('b@example.com'));
        const a = await repos.users.create(newUser('a@example.com', 'admin'));
        expect((await repos.users.list()).map((u) => u.email)).toEqual(['a@example.com', 'b@example.com']);
        expect(await repos.users.findById(a.id)).toEqual(a);
        expect(await repos.users.findById('no-such-id')).toBeUndefined();
        advance(1000);
        const promoted = await repos.users.updateRole(b.id, 'admin');
        expect(promoted.role).toBe('admin');
        expect(promoted.updatedAt).not.toBe(b.updatedAt);
        await repos.sessions.create({
          tokenHash: sha256(1),
          userId: b.id,
          csrfToken: 'csrf'.repeat(8),
          expiresAt: '2031-03-05T00:00:00Z',
        });
        const disabled = await repos.users.disable(b.id);
        expect(disabled.disabledAt).toBe(now.toISOString());
        expect(await repos.sessions.findValid(sha256(1))).toBeUndefined();
        advance(1000);
        expect((await repos.users.disable(b.id)).disabledAt).toBe(disabled.disabledAt);
        expect((await repos.users.enable(b.id)).disabledAt).toBeUndefined();
        await expectCode(repos.users.disable('missing'), 'not_found');
      });
    });

    describe('sessions', () => {
      let userId: string;
      beforeEach(async () => {
        userId = (
          await repos.users.create({
            email: 's@example.com',
            displayName: 'S',
            passwordHash: 'h'.repeat(32),
            role: 'salesperson',
          })
        ).id;
      });

      it('finds a valid session with its user, and none once it expired', async () => {
        const session = await repos.sessions.create({
          tokenHash: sha256(1),
          userId,
          csrfToken: 'c'.repeat(32),
          expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
        });
        expect(session.id).toBe(sha256(1));
        const found = await repos.sessions.findValid(sha256(1));
        expect(found?.session).toEqual(session);
        expect(found?.user.email).toBe('s@example.com');
        expect(await repos.sessions.findValid(sha256(2))).toBeUndefined();
        advance(3_600_000);
        expect(await repos.sessions.findValid(sha256(1))).toBeUndefined();
        expect(await repos.sessions.deleteExpired()).toBe(1);
        expect(await store.db.selectFrom('sessions').select('id').execute()).toEqual([]);
      });

      it('touch records activity and slides the expiry', async () => {
        await repos.sessions.create({
          tokenHash: sha256(1),
          userId,
          csrfToken: 'c'.repeat(32),
          expiresAt: new Date(now.getTime() + 60_000).toISOString(),
        });
        advance(50_000);
        await repos.sessions.touch(sha256(1), new Date(now.getTime() + 60_000).toISOString());
        advance(50_000);
        const found = await repos.sessions.findValid(sha256(1));
        expect(found?.session.lastSeenAt).toBe(new Date(now.getTime() - 50_000).toISOString());
        expect(found?.session.expiresAt).toBe(new Date(now.getTime() + 10_000).toISOString());
      });

      it('deletes one session, or all of a user', async () => {
        for (const n of [1, 2, 3])
          await repos.sessions.create({
            tokenHash: sha256(n),
            userId,
            csrfToken: 'c'.repeat(32),
            expiresAt: '2040-01-01T00:00:00.000Z',
          });
        await repos.sessions.delete(sha256(1));
        expect(await repos.sessions.findValid(sha256(1))).toBeUndefined();
        expect(await repos.sessions.deleteForUser(userId)).toBe(2);
        expect(await repos.sessions.findValid(sha256(2))).toBeUndefined();
      });

      it('accepts only token hashes, and only for existing users', async () => {
        await expectCode(
          repos.sessions.create({
            tokenHash: 'plain-cookie-token',
            userId,
            csrfToken: 'c'.repeat(32),
            expiresAt: '2040-01-01T00:00:00Z',
          }),
          'invalid_body',
        );
        await expectCode(
          repos.sessions.create({
            tokenHash: sha256(9),
            userId: 'ghost',
            csrfToken: 'c'.repeat(32),
            expiresAt: '2040-01-01T00:00:00Z',
          }),
          'not_found',
        );
      });
    });

    describe('API tokens and source keys', () => {
      it('hand out the plain token once, store only its hash, verify and revoke', async () => {
        const issued = await repos.apiTokens.create({ name: 'CI', role: 'lead_gen_admin' });
        expect(issued.plainToken).toMatch(/^lb_pat_[A-Za-z0-9_-]{43}$/);
        expect(JSON.stringify(issued)).not.toContain(issued.plainToken);
        expect(String(issued)).not.toContain(issued.plainToken);
        expect(inspect(issued)).not.toContain(issued.plainToken);
        const raw = await store.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
        expect(raw.token_hash).toBe(hashToken(issued.plainToken));
        expect(JSON.stringify(raw)).not.toContain(issued.plainToken);

        const verified = await repos.apiTokens.verify(issued.plainToken);
        expect(verified).toMatchObject({
          id: issued.token.id,
          role: 'lead_gen_admin',
          lastUsedAt: now.toISOString(),
        });
        expect(await repos.apiTokens.verify(`${issued.plainToken}x`)).toBeUndefined();
        expect(await repos.apiTokens.verify('nonsense')).toBeUndefined();
        await repos.apiTokens.revoke(issued.token.id);
        expect(await repos.apiTokens.verify(issued.plainToken)).toBeUndefined();
        expect((await repos.apiTokens.list())[0]?.revokedAt).toBe(now.toISOString());
      });

      it("stop working when the token's user is disabled", async () => {
        const user = await repos.users.create({
          email: 't@example.com',
          displayName: 'T',
          passwordHash: 'h'.repeat(32),
          role: 'admin',
        });
        const issued = await repos.apiTokens.create({ name: 'mine', role: 'admin', userId: user.id });
        expect((await repos.apiTokens.verify(issued.plainToken))?.userId).toBe(user.id);
        await repos.users.disable(user.id);
        expect(await repos.apiTokens.verify(issued.plainToken)).toBeUndefined();
      });

      it('source keys: hash only, verify, revoke', async () => {
        const { id: sourceId } = await repos.leadSources.create(leadSourceInput());
        const issued = await repos.sourceApiKeys.create(sourceId);
        expect(issued.plainKey.startsWith('lb_src_')).toBe(true);
        expect(JSON.stringify(issued)).not.toContain(issued.plainKey);
        const raw = await store.db.selectFrom('source_api_keys').select('key_hash').executeTakeFirstOrThrow();
        expect(raw.key_hash).toBe(hashToken(issued.plainKey));
        expect((await repos.sourceApiKeys.verify(issued.plainKey))?.sourceId).toBe(sourceId);
        await repos.sourceApiKeys.revoke(issued.key.id);
        expect(await repos.sourceApiKeys.verify(issued.plainKey)).toBeUndefined();
        expect(await repos.sourceApiKeys.listForSource(sourceId)).toHaveLength(1);
      });
    });

    describe('CRM connections', () => {
      it('normalise and validate what they are given', async () => {
        const connection = await repos.crmConnections.create(
          connectionInput(1, {
            environmentUrl: ' https://ORG1.crm4.Dynamics.com/ ',
            clientId: CLIENT.toUpperCase(),
          }),
        );
        expect(connection).toMatchObject({
          environmentUrl: 'https://org1.crm4.dynamics.com/',
          clientId: CLIENT,
          status: 'untested',
          isPrimary: true,
        });
        expect(JSON.stringify(connection)).not.toContain(CLIENT_SECRET);
        await expectCode(
          repos.crmConnections.create(connectionInput(2, { environmentUrl: 'http://org2.crm.dynamics.com' })),
          'invalid_body',
        );
        await expectCode(
          repos.crmConnections.create(
            connectionInput(2, { environmentUrl: 'https://org2.crm.dynamics.com/api/data' }),
          ),
          'invalid_body',
        );
        await expectCode(
          repos.crmConnections.create(connectionInput(2, { clientId: 'my-app' })),
          'invalid_body',
        );
        await expectCode(
          repos.crmConnections.create(connectionInput(2, { credentials: {} })),
          'invalid_body',
        );
        await expectCode(
          repos.crmConnections.create(
            connectionInput(2, {
              authKind: 'certificate',
              credentials: { certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY },
            }),
          ),
          'invalid_body',
        );
        await expectCode(
          repos.crmConnections.create(
            connectionInput(2, { environmentUrl: 'https://org1.crm4.dynamics.com' }),
          ),
          'conflict',
        );
        expect(await repos.crmConnections.list()).toHaveLength(1);
      });

      it('have exactly one primary, changed transactionally', async () => {
        const a = await repos.crmConnections.create(connectionInput(1));
        const b = await repos.crmConnections.create(connectionInput(2));
        const c = await repos.crmConnections.create(connectionInput(3));
        expect([a.isPrimary, b.isPrimary, c.isPrimary]).toEqual([true, false, false]);
        expect((await repos.crmConnections.setPrimary(b.id)).isPrimary).toBe(true);
        expect((await repos.crmConnections.getPrimary())?.id).toBe(b.id);
        expect(await primaryCount(store)).toBe(1);

        await Promise.all([a, b, c, a, c, b, a, b, c, a].map((it) => repos.crmConnections.setPrimary(it.id)));
        expect(await primaryCount(store)).toBe(1);

        // The database holds the line too, whatever code writes to it.
        await expect(
          store.db
            .updateTable('crm_connections')
            .set({ is_primary: 1 })
            .where('is_primary', '=', 0)
            .execute(),
        ).rejects.toThrow();
        expect(await primaryCount(store)).toBe(1);
        await expectCode(repos.crmConnections.setPrimary('missing'), 'not_found');
      });

      it('seal credentials in the table and open them for the connector', async () => {
        const secretConnection = await repos.crmConnections.create(connectionInput(1));
        const certificateConnection = await repos.crmConnections.create(
          connectionInput(2, {
            authKind: 'certificate',
            certificateThumbprint: 'ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01',
            credentials: { certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY },
          }),
        );
        expect(certificateConnection.certificateThumbprint).toBe('ABCDEF0123456789ABCDEF0123456789ABCDEF01');

        const raw = await store.db
          .selectFrom('crm_connections')
          .select(['id', 'credentials_sealed'])
          .execute();
        expect(raw).toHaveLength(2);
        for (const row of raw) {
          expect(row.credentials_sealed).toMatch(new RegExp(`^lbs1\\.${key.id}\\.`));
          expect(row.credentials_sealed).not.toContain(CLIENT_SECRET);
          expect(row.credentials_sealed).not.toContain(
            Buffer.from(CLIENT_SECRET).toString('base64').slice(0, 20),
          );
          expect(row.credentials_sealed).not.toContain('PRIVATE KEY');
        }

        const credentials = await repos.crmConnections.readCredentials(secretConnection.id);
        expect(credentials.clientSecret).toBe(`${CLIENT_SECRET}-1`);
        expect(JSON.stringify(credentials)).not.toContain(CLIENT_SECRET);
        expect(String(credentials)).not.toContain(CLIENT_SECRET);
        expect(inspect(credentials)).not.toContain(CLIENT_SECRET);
        expect(`${JSON.stringify({ credentials })}`).toContain('***');
        const certificate = await repos.crmConnections.readCredentials(certificateConnection.id);
        expect(certificate).toEqual({ certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY });
        expect(JSON.stringify(certificate)).not.toContain('MIIEvQ');
        await expectCode(repos.crmConnections.readCredentials('missing'), 'not_found');
      });

      it('refuse a sealed value copied from another row', async () => {
        const a = await repos.crmConnections.create(connectionInput(1));
        const b = await repos.crmConnections.create(connectionInput(2));
        const sealedA = await store.db
          .selectFrom('crm_connections')
          .select('credentials_sealed')
          .where('id', '=', a.id)
          .executeTakeFirstOrThrow();
        await store.db
          .updateTable('crm_connections')
          .set({ credentials_sealed: sealedA.credentials_sealed })
          .where('id', '=', b.id)
          .execute();
        await expectCode(repos.crmConnections.readCredentials(b.id), 'secret_key_invalid');
      });

      it('answer a wrong key with secret_key_invalid, never a crash', async () => {
        const connection = await repos.crmConnections.create(connectionInput(1));
        await repos.crmTokenCaches.save({ connectionId: connection.id }, msalCache('app'));
        const wrong = createRepositories(store, { secretKey: SecretKey.generate(), clock });
        const error = await expectCode(
          wrong.crmConnections.readCredentials(connection.id),
          'secret_key_invalid',
        );
        expect(error.message).toContain(key.id);
        await expectCode(wrong.crmTokenCaches.load({ connectionId: connection.id }), 'secret_key_invalid');
        await expectCode(verifySecretKey(store, SecretKey.generate()), 'secret_key_invalid');
        await verifySecretKey(store, key);
      });

      it('update: new credentials need a retest, a new environment drops token caches', async () => {
        const connection = await repos.crmConnections.create(connectionInput(1));
        await repos.crmConnections.setStatus(connection.id, {
          status: 'active',
          organizationId: '99999999-8888-7777-6666-555555555555',
        });
        await repos.crmTokenCaches.save({ connectionId: connection.id }, msalCache('app'));

        const renamed = await repos.crmConnections.update(connection.id, { name: 'Renamed' });
        expect(renamed).toMatchObject({ name: 'Renamed', status: 'active' });

        const rekeyed = await repos.crmConnections.update(connection.id, {
          credentials: { clientSecret: 'new-secret-value' },
        });
        expect(rekeyed.status).toBe('untested');
        expect((await repos.crmConnections.readCredentials(connection.id)).clientSecret).toBe(
          'new-secret-value',
        );
        expect(await repos.crmTokenCaches.load({ connectionId: connection.id })).toBeDefined();

        const moved = await repos.crmConnections.update(connection.id, {
          environmentUrl: 'https://elsewhere.crm.dynamics.com',
        });
        expect(moved.environmentUrl).toBe('https://elsewhere.crm.dynamics.com/');
        expect(moved.organizationId).toBeUndefined();
        expect(await repos.crmTokenCaches.load({ connectionId: connection.id })).toBeUndefined();

        await expectCode(
          repos.crmConnections.update(connection.id, { authKind: 'certificate' }),
          'invalid_body',
        );
        const switched = await repos.crmConnections.update(connection.id, {
          authKind: 'certificate',
          certificateThumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
          credentials: { certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY },
        });
        expect(switched).toMatchObject({
          authKind: 'certificate',
          certificateThumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
        });
        expect((await repos.crmConnections.readCredentials(connection.id)).privateKeyPem).toBe(PRIVATE_KEY);
      });

      it('setStatus replaces the status whole', async () => {
        const connection = await repos.crmConnections.create(connectionInput(1));
        const throttled = await repos.crmConnections.setStatus(connection.id, {
          status: 'throttled',
          statusReason:
            'Dataverse answered 429 (Number of requests exceeded the limit of 6000 over 300 seconds).',
          throttledUntil: '2031-03-04T05:11:07+00:00',
        });
        expect(throttled).toMatchObject({ status: 'throttled', throttledUntil: '2031-03-04T05:11:07.000Z' });
        const active = await repos.crmConnections.setStatus(connection.id, { status: 'active' });
        expect(active.statusReason).toBeUndefined();
        expect(active.throttledUntil).toBeUndefined();
        await expectCode(
          repos.crmConnections.setStatus(connection.id, { status: 'broken' as 'active' }),
          'invalid_body',
        );
      });

      it('revoke forgets credentials and caches, keeps the record, and passes primary on', async () => {
        const a = await repos.crmConnections.create(connectionInput(1));
        const b = await repos.crmConnections.create(connectionInput(2));
        await repos.crmTokenCaches.save({ connectionId: a.id }, msalCache('app'));
        const revoked = await repos.crmConnections.revoke(a.id);
        expect(revoked).toMatchObject({ isPrimary: false, revokedAt: now.toISOString() });
        expect((await repos.crmConnections.get(b.id))?.isPrimary).toBe(true);
        const raw = await store.db
          .selectFrom('crm_connections')
          .select('credentials_sealed')
          .where('id', '=', a.id)
          .executeTakeFirstOrThrow();
        expect(raw.credentials_sealed).toBeNull();
        expect(await repos.crmTokenCaches.load({ connectionId: a.id })).toBeUndefined();
        await expectCode(repos.crmConnections.readCredentials(a.id), 'not_found');
        await expectCode(repos.crmConnections.setPrimary(a.id), 'conflict');
        expect((await repos.crmConnections.list()).map((c) => c.id)).toEqual([b.id]);
        expect((await repos.crmConnections.list({ includeRevoked: true })).map((c) => c.id)).toEqual([
          a.id,
          b.id,
        ]);
        // The environment can be connected again once the old connection is revoked.
        await repos.crmConnections.create(connectionInput(1));
      });

      it('disconnect removes token caches, settings and request counts, and passes primary on', async () => {
        const user = await repos.users.create({
          email: 'u@example.com',
          displayName: 'U',
          passwordHash: 'h'.repeat(32),
          role: 'salesperson',
        });
        const a: CrmConnection = await repos.crmConnections.create(connectionInput(1));
        const b = await repos.crmConnections.create(connectionInput(2));
        for (const connection of [a, b]) {
          await repos.crmTokenCaches.save({ connectionId: connection.id }, msalCache('app'));
          await repos.crmTokenCaches.save(
            { connectionId: connection.id, userId: user.id },
            msalCache('oid.tid'),
          );
          await repos.crmSettings.upsert(connection.id, {
            allowLeadCreation: true,
            allowContactCreation: false,
          });
          await repos.crmRequestCounts.add(connection.id, '2031-03-04', 7);
        }
        await repos.crmConnections.disconnect(a.id);
        expect(await repos.crmConnections.get(a.id)).toBeUndefined();
        expect(
          await store.db
            .selectFrom('crm_token_caches')
            .select('connection_id')
            .where('connection_id', '=', a.id)
            .execute(),
        ).toEqual([]);
        expect(
          await store.db
            .selectFrom('crm_settings')
            .select('connection_id')
            .where('connection_id', '=', a.id)
            .execute(),
        ).toEqual([]);
        expect(await repos.crmRequestCounts.get(a.id, '2031-03-04')).toBe(0);
        // b is untouched and now primary.
        expect((await repos.crmConnections.get(b.id))?.isPrimary).toBe(true);
        expect(await repos.crmTokenCaches.load({ connectionId: b.id, userId: user.id })).toBe(
          msalCache('oid.tid'),
        );
        expect(await repos.crmSettings.get(b.id)).toBeDefined();
        expect(await repos.crmRequestCounts.get(b.id, '2031-03-04')).toBe(7);
        await expectCode(repos.crmConnections.disconnect(a.id), 'not_found');
      });
    });

    describe('CRM token caches', () => {
      it('keep the application cache and each user cache apart, sealed, one row per key', async () => {
        const connection = await repos.crmConnections.create(connectionInput(1));
        const user = await repos.users.create({
          email: 'u@example.com',
          displayName: 'U',
          passwordHash: 'h'.repeat(32),
          role: 'salesperson',
        });
        const app = { connectionId: connection.id };
        const mine = { connectionId: connection.id, userId: user.id };
        expect(await repos.crmTokenCaches.load(app)).toBeUndefined();
        await repos.crmTokenCaches.save(app, msalCache('app-account'));
        await repos.crmTokenCaches.save(mine, msalCache('oid-1.tid-1'));
        await Promise.all(
          [1, 2, 3, 4, 5].map((n) => repos.crmTokenCaches.save(mine, msalCache('oid-1.tid-1', `rt-${n}`))),
        );
        await repos.crmTokenCaches.save(mine, msalCache('oid-1.tid-1', 'latest-refresh-token'));
        expect(await repos.crmTokenCaches.load(app)).toBe(msalCache('app-account'));
        expect(await repos.crmTokenCaches.load(mine)).toBe(msalCache('oid-1.tid-1', 'latest-refresh-token'));
        expect(await repos.crmTokenCaches.findAccountHomeId(mine)).toBe('oid-1.tid-1');
        expect((await repos.crmTokenCaches.findSignIn(mine))?.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

        const raw = await store.db.selectFrom('crm_token_caches').selectAll().execute();
        expect(raw).toHaveLength(2);
        for (const row of raw) {
          expect(row.cache_sealed).not.toContain('refresh-token');
          expect(row.cache_sealed).not.toContain('RefreshToken');
        }
        await repos.crmTokenCaches.delete(mine);
        expect(await repos.crmTokenCaches.load(mine)).toBeUndefined();
        expect(await repos.crmTokenCaches.load(app)).toBeDefined();
        await expectCode(repos.crmTokenCaches.save({ connectionId: 'gone' }, '{}'), 'not_found');
      });
    });

    describe('CRM request counts', () => {
      it('add atomically under concurrency: 50 parallel adds give the exact total', async () => {
        const connection = await repos.crmConnections.create(connectionInput(1));
        const totals = await Promise.all(
          Array.from({ length: 50 }, () => repos.crmRequestCounts.add(connection.id, '2031-03-04', 1)),
        );
        expect(await repos.crmRequestCounts.get(connection.id, '2031-03-04')).toBe(50);
        expect([...totals].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(await repos.crmRequestCounts.add(connection.id, '2031-03-04', 25)).toBe(75);
        expect(await repos.crmRequestCounts.add(connection.id, '2031-03-05', 3)).toBe(3);
        expect(await repos.crmRequestCounts.get(connection.id, '2031-03-06')).toBe(0);
        await expectCode(repos.crmRequestCounts.add(connection.id, '04/03/2031', 1), 'invalid_body');
        await expectCode(repos.crmRequestCounts.add(connection.id, '2031-03-04', -1), 'invalid_body');
        await expectCode(repos.crmRequestCounts.add('gone', '2031-03-04', 1), 'not_found');
      });
    });

    describe('CRM settings', () => {
      it('are absent until saved, then replaced whole, with real booleans', async () => {
        const connection = await repos.crmConnections.create(connectionInput(1));
        expect(await repos.crmSettings.get(connection.id)).toBeUndefined();
        await repos.crmSettings.upsert(connection.id, {
          allowLeadCreation: true,
          allowContactCreation: false,
          leadSourceCode: 8,
        });
        expect(await repos.crmSettings.get(connection.id)).toEqual({
          connectionId: connection.id,
          allowLeadCreation: true,
          allowContactCreation: false,
          leadSourceCode: 8,
          updatedAt: now.toISOString(),
        });
        advance(1000);
        await repos.crmSettings.upsert(connection.id, {
          allowLeadCreation: false,
          allowContactCreation: true,
        });
        const replaced = await repos.crmSettings.get(connection.id);
        expect(replaced).toMatchObject({
          allowLeadCreation: false,
          allowContactCreation: true,
          updatedAt: now.toISOString(),
        });
        expect(replaced?.leadSourceCode).toBeUndefined();
        await expectCode(
          repos.crmSettings.upsert('gone', { allowLeadCreation: true, allowContactCreation: true }),
          'not_found',
        );
        await expectCode(
          repos.crmSettings.upsert(connection.id, {
            allowLeadCreation: 1 as unknown as boolean,
            allowContactCreation: true,
          }),
          'invalid_body',
        );
      });
    });

    describe('audit events', () => {
      it('append, redact secret-looking details, and list newest first', async () => {
        const actor = await repos.users.create({
          email: 'adm@example.com',
          displayName: 'Adm',
          passwordHash: 'h'.repeat(32),
          role: 'admin',
        });
        await repos.audit.append({ actorUserId: actor.id, action: 'user.signed_in' });
        advance(1000);
        await repos.audit.append({
          actorUserId: actor.id,
          action: 'crm_connection.created',
          subject: 'connection-1',
          details: {
            name: 'Contoso',
            clientSecret: CLIENT_SECRET,
            nested: { refresh_token: REFRESH_TOKEN, ok: [1, 2] },
          },
        });
        advance(1000);
        await repos.audit.append({
          action: 'crm_connection.tested',
          subject: 'connection-1',
          details: { status: 'active' },
        });
        const recent = await repos.audit.listRecent();
        expect(recent.map((e) => e.action)).toEqual([
          'crm_connection.tested',
          'crm_connection.created',
          'user.signed_in',
        ]);
        expect(recent[1]?.details).toEqual({
          name: 'Contoso',
          clientSecret: '[redacted]',
          nested: { refresh_token: '[redacted]', ok: [1, 2] },
        });
        const raw = await store.db.selectFrom('audit_events').select('details').execute();
        expect(JSON.stringify(raw)).not.toContain(CLIENT_SECRET);
        expect(JSON.stringify(raw)).not.toContain(REFRESH_TOKEN);
        expect(await repos.audit.listRecent({ limit: 1 })).toHaveLength(1);
        expect((await repos.audit.listRecent({ subject: 'connection-1' })).map((e) => e.action)).toEqual([
          'crm_connection.tested',
          'crm_connection.created',
        ]);
        await expectCode(repos.audit.append({ action: 'Not A Name' }), 'invalid_body');
      });
    });

    describe('secret rotation', () => {
      async function seedSecrets(): Promise<string[]> {
        const user = await repos.users.create({
          email: 'r@example.com',
          displayName: 'R',
          passwordHash: 'h'.repeat(32),
          role: 'admin',
        });
        const a = await repos.crmConnections.create(connectionInput(1));
        const b = await repos.crmConnections.create(connectionInput(2));
        await repos.crmTokenCaches.save({ connectionId: a.id }, msalCache('app'));
        await repos.crmTokenCaches.save({ connectionId: a.id, userId: user.id }, msalCache('oid.tid'));
        return [a.id, b.id, user.id];
      }

      it('re-seals everything under the new key; the old key opens nothing afterwards', async () => {
        const [a = '', b = '', userId = ''] = await seedSecrets();
        const newKey = SecretKey.generate();
        expect(await countSecretsByKeyId(store)).toEqual(new Map([[key.id, 4]]));

        const report = await rotateSecrets(store, key, newKey);
        expect(report).toEqual({ fromKeyId: key.id, toKeyId: newKey.id, resealed: 4, alreadyUnderNewKey: 0 });
        expect(await countSecretsByKeyId(store)).toEqual(new Map([[newKey.id, 4]]));
        for (const sealed of await rawSealedValues(store)) {
          expect(sealed.startsWith(`lbs1.${newKey.id}.`)).toBe(true);
          expect(sealed).not.toContain(key.id);
        }

        const before = createRepositories(store, { secretKey: key, clock });
        await expectCode(before.crmConnections.readCredentials(a), 'secret_key_invalid');
        await expectCode(before.crmTokenCaches.load({ connectionId: a, userId }), 'secret_key_invalid');
        const after = createRepositories(store, { secretKey: newKey, clock });
        expect((await after.crmConnections.readCredentials(a)).clientSecret).toBe(`${CLIENT_SECRET}-1`);
        expect((await after.crmConnections.readCredentials(b)).clientSecret).toBe(`${CLIENT_SECRET}-2`);
        expect(await after.crmTokenCaches.load({ connectionId: a })).toBe(msalCache('app'));
        expect(await after.crmTokenCaches.load({ connectionId: a, userId })).toBe(msalCache('oid.tid'));
        await verifySecretKey(store, newKey);
        await expectCode(verifySecretKey(store, key), 'secret_key_invalid');

        // Running the same rotation again moves nothing and breaks nothing.
        expect(await rotateSecrets(store, key, newKey)).toMatchObject({ resealed: 0, alreadyUnderNewKey: 4 });
      });

      it('is all or nothing: a secret the old key cannot open aborts it and changes nothing', async () => {
        const [a = ''] = await seedSecrets();
        const stranger = SecretKey.generate();
        await store.db
          .updateTable('crm_connections')
          .set({
            credentials_sealed: stranger.seal('{"clientSecret":"x"}', `crm_connections.credentials:${a}`),
          })
          .where('id', '=', a)
          .execute();
        const before = await rawSealedValues(store);
        await expectCode(rotateSecrets(store, key, SecretKey.generate()), 'secret_key_invalid');
        expect(await rawSealedValues(store)).toEqual(before);
        await expectCode(rotateSecrets(store, key, key), 'invalid_arguments');
      });
    });

    if (dialect === 'postgres')
      it('runs against its own schema (isolated from parallel test files)', async () => {
        const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
        expect(rows[0]?.schema).toMatch(/^lb_test_[0-9a-f]{12}$/);
      });
  });

  describeLeadSourceSuite(dialect, factory);
  describeMatchingStrategySuite(dialect, factory);
  describeInboundLeadSuite(dialect, factory);
  describeJobQueueSuite(dialect, factory);
  describeSyncLogSuite(dialect, factory);
  describeQuotaUsageSuite(dialect, factory);
}
