import { describe, expect, it } from 'vitest';
import type { TestStoreFactory } from './test-store.js';
import { connectionInput, expectCode, useStoreFixture } from './store-fixture.js';

export function describeCrmSettingsSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`CRM settings on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('are absent until saved, then replaced whole, with real booleans', async () => {
      const connection = await f.repos.crmConnections.create(connectionInput(1));
      expect(await f.repos.crmSettings.get(connection.id)).toBeUndefined();
      await f.repos.crmSettings.upsert(connection.id, {
        allowLeadCreation: true,
        allowContactCreation: false,
        leadSourceCode: 8,
      });
      expect(await f.repos.crmSettings.get(connection.id)).toEqual({
        connectionId: connection.id,
        allowLeadCreation: true,
        allowContactCreation: false,
        leadSourceCode: 8,
        updatedAt: f.now(),
      });
      f.advance(1000);
      await f.repos.crmSettings.upsert(connection.id, {
        allowLeadCreation: false,
        allowContactCreation: true,
      });
      const replaced = await f.repos.crmSettings.get(connection.id);
      expect(replaced).toMatchObject({
        allowLeadCreation: false,
        allowContactCreation: true,
        updatedAt: f.now(),
      });
      expect(replaced?.leadSourceCode).toBeUndefined();
      await expectCode(
        f.repos.crmSettings.upsert('gone', { allowLeadCreation: true, allowContactCreation: true }),
        'not_found',
      );
      await expectCode(
        f.repos.crmSettings.upsert(connection.id, {
          allowLeadCreation: 1 as unknown as boolean,
          allowContactCreation: true,
        }),
        'invalid_body',
      );
    });
  });
}
