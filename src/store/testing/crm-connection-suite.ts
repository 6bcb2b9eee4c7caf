import { describe, expect, it } from 'vitest';
import type { CrmConnection } from '../../domain/index.js';
import type { StoreDatabase } from '../store-database.js';
import type { TestStoreFactory } from './test-store.js';
import {
  CERTIFICATE,
  CLIENT,
  CLIENT_SECRET,
  PRIVATE_KEY,
  connectionInput,
  expectCode,
  msalCache,
  useStoreFixture,
} from './store-fixture.js';

async function primaryCount(store: StoreDatabase): Promise<number> {
  const rows = await store.db
    .selectFrom('crm_connections')
    .select('id')
    .where('is_primary', '=', 1)
    .execute();
  return rows.length;
}

export function describeCrmConnectionSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`CRM connections on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('normalise and validate what they are given', async () => {
      const connection = await f.repos.crmConnections.create(
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
        f.repos.crmConnections.create(connectionInput(2, { environmentUrl: 'http://org2.crm.dynamics.com' })),
        'invalid_body',
      );
      await expectCode(
        f.repos.crmConnections.create(
          connectionInput(2, { environmentUrl: 'https://org2.crm.dynamics.com/api/data' }),
        ),
        'invalid_body',
      );
      await expectCode(
        f.repos.crmConnections.create(connectionInput(2, { clientId: 'my-app' })),
        'invalid_body',
      );
      await expectCode(
        f.repos.crmConnections.create(connectionInput(2, { credentials: {} })),
        'invalid_body',
      );
      await expectCode(
        f.repos.crmConnections.create(
          connectionInput(2, {
            authKind: 'certificate',
            credentials: { certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY },
          }),
        ),
        'invalid_body',
      );
      await expectCode(
        f.repos.crmConnections.create(
          connectionInput(2, { environmentUrl: 'https://org1.crm4.dynamics.com' }),
        ),
        'conflict',
      );
      expect(await f.repos.crmConnections.list()).toHaveLength(1);
    });

    it('have exactly one primary, changed transactionally', async () => {
      const a = await f.repos.crmConnections.create(connectionInput(1));
      const b = await f.repos.crmConnections.create(connectionInput(2));
      const c = await f.repos.crmConnections.create(connectionInput(3));
      expect([a.isPrimary, b.isPrimary, c.isPrimary]).toEqual([true, false, false]);
      expect((await f.repos.crmConnections.setPrimary(b.id)).isPrimary).toBe(true);
      expect((await f.repos.crmConnections.getPrimary())?.id).toBe(b.id);
      expect(await primaryCount(f.store)).toBe(1);

      await Promise.all([a, b, c, a, c, b, a, b, c, a].map((it) => f.repos.crmConnections.setPrimary(it.id)));
      expect(await primaryCount(f.store)).toBe(1);

      // The database holds the line too, whatever code writes to it.
      await expect(
        f.store.db
          .updateTable('crm_connections')
          .set({ is_primary: 1 })
          .where('is_primary', '=', 0)
          .execute(),
      ).rejects.toThrow();
      expect(await primaryCount(f.store)).toBe(1);
      await expectCode(f.repos.crmConnections.setPrimary('missing'), 'not_found');
    });

    it('update: new credentials need a retest, a new environment drops token caches', async () => {
      const connection = await f.repos.crmConnections.create(connectionInput(1));
      await f.repos.crmConnections.setStatus(connection.id, {
        status: 'active',
        organizationId: '99999999-8888-7777-6666-555555555555',
      });
      await f.repos.crmTokenCaches.save({ connectionId: connection.id }, msalCache('app'));

      const renamed = await f.repos.crmConnections.update(connection.id, { name: 'Renamed' });
      expect(renamed).toMatchObject({ name: 'Renamed', status: 'active' });

      const rekeyed = await f.repos.crmConnections.update(connection.id, {
        credentials: { clientSecret: 'new-secret-value' },
      });
      expect(rekeyed.status).toBe('untested');
      expect((await f.repos.crmConnections.readCredentials(connection.id)).clientSecret).toBe(
        'new-secret-value',
      );
      expect(await f.repos.crmTokenCaches.load({ connectionId: connection.id })).toBeDefined();

      const moved = await f.repos.crmConnections.update(connection.id, {
        environmentUrl: 'https://elsewhere.crm.dynamics.com',
      });
      expect(moved.environmentUrl).toBe('https://elsewhere.crm.dynamics.com/');
      expect(moved.organizationId).toBeUndefined();
      expect(await f.repos.crmTokenCaches.load({ connectionId: connection.id })).toBeUndefined();

      await expectCode(
        f.repos.crmConnections.update(connection.id, { authKind: 'certificate' }),
        'invalid_body',
      );
      const switched = await f.repos.crmConnections.update(connection.id, {
        authKind: 'certificate',
        certificateThumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
        credentials: { certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY },
      });
      expect(switched).toMatchObject({
        authKind: 'certificate',
        certificateThumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
      });
      expect((await f.repos.crmConnections.readCredentials(connection.id)).privateKeyPem).toBe(PRIVATE_KEY);
    });

    it('setStatus replaces the status whole', async () => {
      const connection = await f.repos.crmConnections.create(connectionInput(1));
      const throttled = await f.repos.crmConnections.setStatus(connection.id, {
        status: 'throttled',
        statusReason:
          'Dataverse answered 429 (Number of requests exceeded the limit of 6000 over 300 seconds).',
        throttledUntil: '2031-03-04T05:11:07+00:00',
      });
      expect(throttled).toMatchObject({ status: 'throttled', throttledUntil: '2031-03-04T05:11:07.000Z' });
      const active = await f.repos.crmConnections.setStatus(connection.id, { status: 'active' });
      expect(active.statusReason).toBeUndefined();
      expect(active.throttledUntil).toBeUndefined();
      await expectCode(
        f.repos.crmConnections.setStatus(connection.id, { status: 'broken' as 'active' }),
        'invalid_body',
      );
    });

    it('revoke forgets credentials and caches, keeps the record, and passes primary on', async () => {
      const a = await f.repos.crmConnections.create(connectionInput(1));
      const b = await f.repos.crmConnections.create(connectionInput(2));
      await f.repos.crmTokenCaches.save({ connectionId: a.id }, msalCache('app'));
      const revoked = await f.repos.crmConnections.revoke(a.id);
      expect(revoked).toMatchObject({ isPrimary: false, revokedAt: f.now() });
      expect((await f.repos.crmConnections.get(b.id))?.isPrimary).toBe(true);
      const raw = await f.store.db
        .selectFrom('crm_connections')
        .select('credentials_sealed')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      expect(raw.credentials_sealed).toBeNull();
      expect(await f.repos.crmTokenCaches.load({ connectionId: a.id })).toBeUndefined();
      await expectCode(f.repos.crmConnections.readCredentials(a.id), 'not_found');
      await expectCode(f.repos.crmConnections.setPrimary(a.id), 'conflict');
      expect((await f.repos.crmConnections.list()).map((c) => c.id)).toEqual([b.id]);
      expect((await f.repos.crmConnections.list({ includeRevoked: true })).map((c) => c.id)).toEqual([
        a.id,
        b.id,
      ]);
      // The environment can be connected again once the old connection is revoked.
      await f.repos.crmConnections.create(connectionInput(1));
    });

    it('disconnect removes token caches, settings and request counts, and passes primary on', async () => {
      const user = await f.repos.users.create({
        email: 'u@example.com',
        displayName: 'U',
        passwordHash: 'h'.repeat(32),
        role: 'salesperson',
      });
      const a: CrmConnection = await f.repos.crmConnections.create(connectionInput(1));
      const b = await f.repos.crmConnections.create(connectionInput(2));
      for (const connection of [a, b]) {
        await f.repos.crmTokenCaches.save({ connectionId: connection.id }, msalCache('app'));
        await f.repos.crmTokenCaches.save(
          { connectionId: connection.id, userId: user.id },
          msalCache('oid.tid'),
        );
        await f.repos.crmSettings.upsert(connection.id, {
          allowLeadCreation: true,
          allowContactCreation: false,
        });
        await f.repos.crmRequestCounts.add(connection.id, '2031-03-04', 7);
      }
      await f.repos.crmConnections.disconnect(a.id);
      expect(await f.repos.crmConnections.get(a.id)).toBeUndefined();
      expect(
        await f.store.db
          .selectFrom('crm_token_caches')
          .select('connection_id')
          .where('connection_id', '=', a.id)
          .execute(),
      ).toEqual([]);
      expect(
        await f.store.db
          .selectFrom('crm_settings')
          .select('connection_id')
          .where('connection_id', '=', a.id)
          .execute(),
      ).toEqual([]);
      expect(await f.repos.crmRequestCounts.get(a.id, '2031-03-04')).toBe(0);
      // b is untouched and now primary.
      expect((await f.repos.crmConnections.get(b.id))?.isPrimary).toBe(true);
      expect(await f.repos.crmTokenCaches.load({ connectionId: b.id, userId: user.id })).toBe(
        msalCache('oid.tid'),
      );
      expect(await f.repos.crmSettings.get(b.id)).toBeDefined();
      expect(await f.repos.crmRequestCounts.get(b.id, '2031-03-04')).toBe(7);
      await expectCode(f.repos.crmConnections.disconnect(a.id), 'not_found');
    });
  });
}
