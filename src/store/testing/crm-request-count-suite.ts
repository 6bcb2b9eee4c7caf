import { describe, expect, it } from 'vitest';
import type { TestStoreFactory } from './test-store.js';
import { connectionInput, expectCode, useStoreFixture } from './store-fixture.js';

export function describeCrmRequestCountSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`CRM request counts on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('add atomically under concurrency: 50 parallel adds give the exact total', async () => {
      const connection = await f.repos.crmConnections.create(connectionInput(1));
      const totals = await Promise.all(
        Array.from({ length: 50 }, () => f.repos.crmRequestCounts.add(connection.id, '2031-03-04', 1)),
      );
      expect(await f.repos.crmRequestCounts.get(connection.id, '2031-03-04')).toBe(50);
      expect([...totals].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await f.repos.crmRequestCounts.add(connection.id, '2031-03-04', 25)).toBe(75);
      expect(await f.repos.crmRequestCounts.add(connection.id, '2031-03-05', 3)).toBe(3);
      expect(await f.repos.crmRequestCounts.get(connection.id, '2031-03-06')).toBe(0);
      await expectCode(f.repos.crmRequestCounts.add(connection.id, '04/03/2031', 1), 'invalid_body');
      await expectCode(f.repos.crmRequestCounts.add(connection.id, '2031-03-04', -1), 'invalid_body');
      await expectCode(f.repos.crmRequestCounts.add('gone', '2031-03-04', 1), 'not_found');
    });
  });
}
