import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../create-repositories.js';
import { verifySecretKey } from '../secrets/rotate-secrets.js';
import { SecretKey } from '../secrets/secret-key.js';
import type { TestStoreFactory } from './test-store.js';
import {
  CERTIFICATE,
  CLIENT_SECRET,
  PRIVATE_KEY,
  connectionInput,
  expectCode,
  msalCache,
  useStoreFixture,
} from './store-fixture.js';

/** How CRM connections keep their credentials sealed, and what a wrong key or a tampered row gets. */
export function describeCrmCredentialsSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`CRM connection credentials on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('seal credentials in the table and open them for the connector', async () => {
      const secretConnection = await f.repos.crmConnections.create(connectionInput(1));
      const certificateConnection = await f.repos.crmConnections.create(
        connectionInput(2, {
          authKind: 'certificate',
          certificateThumbprint: 'ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01',
          credentials: { certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY },
        }),
      );
      expect(certificateConnection.certificateThumbprint).toBe('ABCDEF0123456789ABCDEF0123456789ABCDEF01');

      const raw = await f.store.db
        .selectFrom('crm_connections')
        .select(['id', 'credentials_sealed'])
        .execute();
      expect(raw).toHaveLength(2);
      for (const row of raw) {
        expect(row.credentials_sealed).toMatch(new RegExp(`^lbs1\\.${f.secretKey.id}\\.`));
        expect(row.credentials_sealed).not.toContain(CLIENT_SECRET);
        expect(row.credentials_sealed).not.toContain(
          Buffer.from(CLIENT_SECRET).toString('base64').slice(0, 20),
        );
        expect(row.credentials_sealed).not.toContain('PRIVATE KEY');
      }

      const credentials = await f.repos.crmConnections.readCredentials(secretConnection.id);
      expect(credentials.clientSecret).toBe(`${CLIENT_SECRET}-1`);
      expect(JSON.stringify(credentials)).not.toContain(CLIENT_SECRET);
      expect(String(credentials)).not.toContain(CLIENT_SECRET);
      expect(inspect(credentials)).not.toContain(CLIENT_SECRET);
      expect(`${JSON.stringify({ credentials })}`).toContain('***');
      const certificate = await f.repos.crmConnections.readCredentials(certificateConnection.id);
      expect(certificate).toEqual({ certificatePem: CERTIFICATE, privateKeyPem: PRIVATE_KEY });
      expect(JSON.stringify(certificate)).not.toContain('MIIEvQ');
      await expectCode(f.repos.crmConnections.readCredentials('missing'), 'not_found');
    });

    it('refuse a sealed value copied from another row', async () => {
      const a = await f.repos.crmConnections.create(connectionInput(1));
      const b = await f.repos.crmConnections.create(connectionInput(2));
      const sealedA = await f.store.db
        .selectFrom('crm_connections')
        .select('credentials_sealed')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      await f.store.db
        .updateTable('crm_connections')
        .set({ credentials_sealed: sealedA.credentials_sealed })
        .where('id', '=', b.id)
        .execute();
      await expectCode(f.repos.crmConnections.readCredentials(b.id), 'secret_key_invalid');
    });

    it('answer a wrong key with secret_key_invalid, never a crash', async () => {
      const connection = await f.repos.crmConnections.create(connectionInput(1));
      await f.repos.crmTokenCaches.save({ connectionId: connection.id }, msalCache('app'));
      const wrong = createRepositories(f.store, { secretKey: SecretKey.generate(), clock: f.clock });
      const error = await expectCode(
        wrong.crmConnections.readCredentials(connection.id),
        'secret_key_invalid',
      );
      expect(error.message).toContain(f.secretKey.id);
      await expectCode(wrong.crmTokenCaches.load({ connectionId: connection.id }), 'secret_key_invalid');
      await expectCode(verifySecretKey(f.store, SecretKey.generate()), 'secret_key_invalid');
      await verifySecretKey(f.store, f.secretKey);
    });
  });
}
