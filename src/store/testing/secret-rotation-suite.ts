import { describe, expect, it } from 'vitest';
import { createRepositories } from '../create-repositories.js';
import { countSecretsByKeyId, rotateSecrets, verifySecretKey } from '../secrets/rotate-secrets.js';
import { SecretKey } from '../secrets/secret-key.js';
import type { StoreDatabase } from '../store-database.js';
import type { TestStoreFactory } from './test-store.js';
import { CLIENT_SECRET, connectionInput, expectCode, msalCache, useStoreFixture } from './store-fixture.js';

/** Every sealed value in the store, straight from the tables. */
async function rawSealedValues(store: StoreDatabase): Promise<string[]> {
  const connections = await store.db.selectFrom('crm_connections').select('credentials_sealed').execute();
  const caches = await store.db.selectFrom('crm_token_caches').select('cache_sealed').execute();
  return [
    ...connections.flatMap((row) => (row.credentials_sealed === null ? [] : [row.credentials_sealed])),
    ...caches.map((row) => row.cache_sealed),
  ];
}

export function describeSecretRotationSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`secret rotation on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    async function seedSecrets(): Promise<string[]> {
      const user = await f.repos.users.create({
        email: 'r@example.com',
        displayName: 'R',
        passwordHash: 'h'.repeat(32),
        role: 'admin',
      });
      const a = await f.repos.crmConnections.create(connectionInput(1));
      const b = await f.repos.crmConnections.create(connectionInput(2));
      await f.repos.crmTokenCaches.save({ connectionId: a.id }, msalCache('app'));
      await f.repos.crmTokenCaches.save({ connectionId: a.id, userId: user.id }, msalCache('oid.tid'));
      return [a.id, b.id, user.id];
    }

    it('re-seals everything under the new key; the old key opens nothing afterwards', async () => {
      const [a = '', b = '', userId = ''] = await seedSecrets();
      const newKey = SecretKey.generate();
      expect(await countSecretsByKeyId(f.store)).toEqual(new Map([[f.secretKey.id, 4]]));

      const report = await rotateSecrets(f.store, f.secretKey, newKey);
      expect(report).toEqual({
        fromKeyId: f.secretKey.id,
        toKeyId: newKey.id,
        resealed: 4,
        alreadyUnderNewKey: 0,
      });
      expect(await countSecretsByKeyId(f.store)).toEqual(new Map([[newKey.id, 4]]));
      for (const sealed of await rawSealedValues(f.store)) {
        expect(sealed.startsWith(`lbs1.${newKey.id}.`)).toBe(true);
        expect(sealed).not.toContain(f.secretKey.id);
      }

      const before = createRepositories(f.store, { secretKey: f.secretKey, clock: f.clock });
      await expectCode(before.crmConnections.readCredentials(a), 'secret_key_invalid');
      await expectCode(before.crmTokenCaches.load({ connectionId: a, userId }), 'secret_key_invalid');
      const after = createRepositories(f.store, { secretKey: newKey, clock: f.clock });
      expect((await after.crmConnections.readCredentials(a)).clientSecret).toBe(`${CLIENT_SECRET}-1`);
      expect((await after.crmConnections.readCredentials(b)).clientSecret).toBe(`${CLIENT_SECRET}-2`);
      expect(await after.crmTokenCaches.load({ connectionId: a })).toBe(msalCache('app'));
      expect(await after.crmTokenCaches.load({ connectionId: a, userId })).toBe(msalCache('oid.tid'));
      await verifySecretKey(f.store, newKey);
      await expectCode(verifySecretKey(f.store, f.secretKey), 'secret_key_invalid');

      // Running the same rotation again moves nothing and breaks nothing.
      expect(await rotateSecrets(f.store, f.secretKey, newKey)).toMatchObject({
        resealed: 0,
        alreadyUnderNewKey: 4,
      });
    });

    it('is all or nothing: a secret the old key cannot open aborts it and changes nothing', async () => {
      const [a = ''] = await seedSecrets();
      const stranger = SecretKey.generate();
      await f.store.db
        .updateTable('crm_connections')
        .set({
          credentials_sealed: stranger.seal('{"clientSecret":"x"}', `crm_connections.credentials:${a}`),
        })
        .where('id', '=', a)
        .execute();
      const before = await rawSealedValues(f.store);
      await expectCode(rotateSecrets(f.store, f.secretKey, SecretKey.generate()), 'secret_key_invalid');
      expect(await rawSealedValues(f.store)).toEqual(before);
      await expectCode(rotateSecrets(f.store, f.secretKey, f.secretKey), 'invalid_arguments');
    });
  });
}
