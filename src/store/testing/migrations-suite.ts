import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateToLatest } from '../migrations/migrate-to-latest.js';
import type { TestStoreFactory } from './test-store.js';
import { useStoreFixture } from './store-fixture.js';

export function describeMigrationsSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`migrations on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('apply every migration once, and are a no-op when run again', async () => {
      expect(f.store.dialect).toBe(dialect);
      expect(f.migration.applied).toEqual(Object.keys(MIGRATIONS));
      expect((await migrateToLatest(f.store)).applied).toEqual([]);
      expect((await migrateToLatest(f.store)).applied).toEqual([]);
      await f.repos.users.create({
        email: 'a@example.com',
        displayName: 'A',
        passwordHash: 'scrypt$'.padEnd(40, 'x'),
        role: 'admin',
      });
      expect(await f.repos.users.count()).toBe(1);
    });
  });
}
