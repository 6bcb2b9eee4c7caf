import { describe, expect, it } from 'vitest';
import type { TestStoreFactory } from './test-store.js';
import { CLIENT_SECRET, REFRESH_TOKEN, expectCode, useStoreFixture } from './store-fixture.js';

export function describeAuditSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`audit events on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('append, redact secret-looking details, and list newest first', async () => {
      const actor = await f.repos.users.create({
        email: 'adm@example.com',
        displayName: 'Adm',
        passwordHash: 'h'.repeat(32),
        role: 'admin',
      });
      await f.repos.audit.append({ actorUserId: actor.id, action: 'user.signed_in' });
      f.advance(1000);
      await f.repos.audit.append({
        actorUserId: actor.id,
        action: 'crm_connection.created',
        subject: 'connection-1',
        details: {
          name: 'Contoso',
          clientSecret: CLIENT_SECRET,
          nested: { refresh_token: REFRESH_TOKEN, ok: [1, 2] },
        },
      });
      f.advance(1000);
      await f.repos.audit.append({
        action: 'crm_connection.tested',
        subject: 'connection-1',
        details: { status: 'active' },
      });
      const recent = await f.repos.audit.listRecent();
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
      const raw = await f.store.db.selectFrom('audit_events').select('details').execute();
      expect(JSON.stringify(raw)).not.toContain(CLIENT_SECRET);
      expect(JSON.stringify(raw)).not.toContain(REFRESH_TOKEN);
      expect(await f.repos.audit.listRecent({ limit: 1 })).toHaveLength(1);
      expect((await f.repos.audit.listRecent({ subject: 'connection-1' })).map((e) => e.action)).toEqual([
        'crm_connection.tested',
        'crm_connection.created',
      ]);
      await expectCode(f.repos.audit.append({ action: 'Not A Name' }), 'invalid_body');
    });
  });
}
