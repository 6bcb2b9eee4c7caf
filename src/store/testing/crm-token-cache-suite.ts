import { describe, expect, it } from 'vitest';
import type { TestStoreFactory } from './test-store.js';
import { connectionInput, expectCode, msalCache, useStoreFixture } from './store-fixture.js';

export function describeCrmTokenCacheSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`CRM token caches on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('keep the application cache and each user cache apart, sealed, one row per key', async () => {
      const connection = await f.repos.crmConnections.create(connectionInput(1));
      const user = await f.repos.users.create({
        email: 'u@example.com',
        displayName: 'U',
        passwordHash: 'h'.repeat(32),
        role: 'salesperson',
      });
      const app = { connectionId: connection.id };
      const mine = { connectionId: connection.id, userId: user.id };
      expect(await f.repos.crmTokenCaches.load(app)).toBeUndefined();
      await f.repos.crmTokenCaches.save(app, msalCache('app-account'));
      await f.repos.crmTokenCaches.save(mine, msalCache('oid-1.tid-1'));
      await Promise.all(
        [1, 2, 3, 4, 5].map((n) => f.repos.crmTokenCaches.save(mine, msalCache('oid-1.tid-1', `rt-${n}`))),
      );
      await f.repos.crmTokenCaches.save(mine, msalCache('oid-1.tid-1', 'latest-refresh-token'));
      expect(await f.repos.crmTokenCaches.load(app)).toBe(msalCache('app-account'));
      expect(await f.repos.crmTokenCaches.load(mine)).toBe(msalCache('oid-1.tid-1', 'latest-refresh-token'));
      expect(await f.repos.crmTokenCaches.findAccountHomeId(mine)).toBe('oid-1.tid-1');
      expect((await f.repos.crmTokenCaches.findSignIn(mine))?.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

      const raw = await f.store.db.selectFrom('crm_token_caches').selectAll().execute();
      expect(raw).toHaveLength(2);
      for (const row of raw) {
        expect(row.cache_sealed).not.toContain('refresh-token');
        expect(row.cache_sealed).not.toContain('RefreshToken');
      }
      await f.repos.crmTokenCaches.delete(mine);
      expect(await f.repos.crmTokenCaches.load(mine)).toBeUndefined();
      expect(await f.repos.crmTokenCaches.load(app)).toBeDefined();
      await expectCode(f.repos.crmTokenCaches.save({ connectionId: 'gone' }, '{}'), 'not_found');
    });
  });
}
