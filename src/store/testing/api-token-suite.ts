import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../shared/opaque-token.js';
import type { TestStoreFactory } from './test-store.js';
import { leadSourceInput, useStoreFixture } from './store-fixture.js';

export function describeApiTokenSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`API tokens and source keys on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    it('hand out the plain token once, store only its hash, verify and revoke', async () => {
      const issued = await f.repos.apiTokens.create({ name: 'CI', role: 'lead_gen_admin' });
      expect(issued.plainToken).toMatch(/^lb_pat_[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(issued)).not.toContain(issued.plainToken);
      expect(String(issued)).not.toContain(issued.plainToken);
      expect(inspect(issued)).not.toContain(issued.plainToken);
      const raw = await f.store.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
      expect(raw.token_hash).toBe(hashToken(issued.plainToken));
      expect(JSON.stringify(raw)).not.toContain(issued.plainToken);

      const verified = await f.repos.apiTokens.verify(issued.plainToken);
      expect(verified).toMatchObject({
        id: issued.token.id,
        role: 'lead_gen_admin',
        lastUsedAt: f.now(),
      });
      expect(await f.repos.apiTokens.verify(`${issued.plainToken}x`)).toBeUndefined();
      expect(await f.repos.apiTokens.verify('nonsense')).toBeUndefined();
      await f.repos.apiTokens.revoke(issued.token.id);
      expect(await f.repos.apiTokens.verify(issued.plainToken)).toBeUndefined();
      expect((await f.repos.apiTokens.list())[0]?.revokedAt).toBe(f.now());
    });

    it("stop working when the token's user is disabled", async () => {
      const user = await f.repos.users.create({
        email: 't@example.com',
        displayName: 'T',
        passwordHash: 'h'.repeat(32),
        role: 'admin',
      });
      const issued = await f.repos.apiTokens.create({ name: 'mine', role: 'admin', userId: user.id });
      expect((await f.repos.apiTokens.verify(issued.plainToken))?.userId).toBe(user.id);
      await f.repos.users.disable(user.id);
      expect(await f.repos.apiTokens.verify(issued.plainToken)).toBeUndefined();
    });

    it('source keys: hash only, verify, revoke', async () => {
      const { id: sourceId } = await f.repos.leadSources.create(leadSourceInput());
      const issued = await f.repos.sourceApiKeys.create(sourceId);
      expect(issued.plainKey.startsWith('lb_src_')).toBe(true);
      expect(JSON.stringify(issued)).not.toContain(issued.plainKey);
      const raw = await f.store.db.selectFrom('source_api_keys').select('key_hash').executeTakeFirstOrThrow();
      expect(raw.key_hash).toBe(hashToken(issued.plainKey));
      expect((await f.repos.sourceApiKeys.verify(issued.plainKey))?.sourceId).toBe(sourceId);
      await f.repos.sourceApiKeys.revoke(issued.key.id);
      expect(await f.repos.sourceApiKeys.verify(issued.plainKey)).toBeUndefined();
      expect(await f.repos.sourceApiKeys.listForSource(sourceId)).toHaveLength(1);
    });
  });
}
