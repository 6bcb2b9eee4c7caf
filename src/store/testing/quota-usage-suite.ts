import { describe, expect, it } from 'vitest';
import { MONTHLY_CREATION_QUOTA } from '../../domain/index.js';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, useStoreFixture } from './store-fixture.js';

export function describeQuotaUsageSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`quota usage on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    const user = async (email: string): Promise<string> =>
      (
        await f.repos.users.create({
          email,
          displayName: 'Q',
          passwordHash: 'h'.repeat(32),
          role: 'salesperson',
        })
      ).id;

    it('counts up to the limit and refuses what would pass it, per user and month', async () => {
      const quota = f.repos.quotaUsage;
      const ada = await user('ada@example.com');
      const bob = await user('bob@example.com');
      expect(await quota.get(ada, '2031-03')).toBe(0);
      expect(await quota.add(ada, '2031-03', 990, MONTHLY_CREATION_QUOTA)).toEqual({
        allowed: true,
        used: 990,
      });
      expect(await quota.add(ada, '2031-03', 11, MONTHLY_CREATION_QUOTA)).toEqual({
        allowed: false,
        used: 990,
      });
      expect(await quota.add(ada, '2031-03', 10, MONTHLY_CREATION_QUOTA)).toEqual({
        allowed: true,
        used: 1000,
      });
      expect(await quota.add(ada, '2031-03', 1, MONTHLY_CREATION_QUOTA)).toEqual({
        allowed: false,
        used: 1000,
      });
      expect(await quota.add(ada, '2031-03', 0, MONTHLY_CREATION_QUOTA)).toEqual({
        allowed: true,
        used: 1000,
      });
      // Another month and another user start from zero; a batch bigger than the limit never fits.
      expect(await quota.add(ada, '2031-04', 1, MONTHLY_CREATION_QUOTA)).toEqual({ allowed: true, used: 1 });
      expect(await quota.add(bob, '2031-03', 1001, MONTHLY_CREATION_QUOTA)).toEqual({
        allowed: false,
        used: 0,
      });
      expect(await quota.get(bob, '2031-03')).toBe(0);
      expect(await quota.get(ada, '2031-03')).toBe(1000);
    });

    it('never passes the limit under parallel reservations', async () => {
      const ada = await user('ada@example.com');
      const results = await Promise.all(
        Array.from({ length: 40 }, () => f.repos.quotaUsage.add(ada, '2031-03', 3, 100)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(33);
      expect(await f.repos.quotaUsage.get(ada, '2031-03')).toBe(99);
    });

    it('validates its input', async () => {
      const ada = await user('ada@example.com');
      await expectCode(f.repos.quotaUsage.add(ada, '2031-3', 1, 10), 'invalid_body');
      await expectCode(f.repos.quotaUsage.add(ada, '2031-13', 1, 10), 'invalid_body');
      await expectCode(f.repos.quotaUsage.add(ada, '2031-03', -1, 10), 'invalid_body');
      await expectCode(f.repos.quotaUsage.add(ada, '2031-03', 1.5, 10), 'invalid_body');
      await expectCode(f.repos.quotaUsage.add('ghost', '2031-03', 1, 10), 'not_found');
      await expectCode(f.repos.quotaUsage.get(ada, 'March'), 'invalid_body');
    });
  });
}
