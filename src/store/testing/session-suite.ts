import { beforeEach, describe, expect, it } from 'vitest';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, sessionTokenHash, useStoreFixture } from './store-fixture.js';

export function describeSessionSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`sessions on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    let userId: string;
    beforeEach(async () => {
      userId = (
        await f.repos.users.create({
          email: 's@example.com',
          displayName: 'S',
          passwordHash: 'h'.repeat(32),
          role: 'salesperson',
        })
      ).id;
    });

    it('finds a valid session with its user, and none once it expired', async () => {
      const session = await f.repos.sessions.create({
        tokenHash: sessionTokenHash(1),
        userId,
        csrfToken: 'c'.repeat(32),
        expiresAt: new Date(f.clock().getTime() + 3_600_000).toISOString(),
      });
      expect(session.id).toBe(sessionTokenHash(1));
      const found = await f.repos.sessions.findValid(sessionTokenHash(1));
      expect(found?.session).toEqual(session);
      expect(found?.user.email).toBe('s@example.com');
      expect(await f.repos.sessions.findValid(sessionTokenHash(2))).toBeUndefined();
      f.advance(3_600_000);
      expect(await f.repos.sessions.findValid(sessionTokenHash(1))).toBeUndefined();
      expect(await f.repos.sessions.deleteExpired()).toBe(1);
      expect(await f.store.db.selectFrom('sessions').select('id').execute()).toEqual([]);
    });

    it('touch records activity and slides the expiry', async () => {
      await f.repos.sessions.create({
        tokenHash: sessionTokenHash(1),
        userId,
        csrfToken: 'c'.repeat(32),
        expiresAt: new Date(f.clock().getTime() + 60_000).toISOString(),
      });
      f.advance(50_000);
      await f.repos.sessions.touch(sessionTokenHash(1), new Date(f.clock().getTime() + 60_000).toISOString());
      f.advance(50_000);
      const found = await f.repos.sessions.findValid(sessionTokenHash(1));
      expect(found?.session.lastSeenAt).toBe(new Date(f.clock().getTime() - 50_000).toISOString());
      expect(found?.session.expiresAt).toBe(new Date(f.clock().getTime() + 10_000).toISOString());
    });

    it('deletes one session, or all of a user', async () => {
      for (const n of [1, 2, 3])
        await f.repos.sessions.create({
          tokenHash: sessionTokenHash(n),
          userId,
          csrfToken: 'c'.repeat(32),
          expiresAt: '2040-01-01T00:00:00.000Z',
        });
      await f.repos.sessions.delete(sessionTokenHash(1));
      expect(await f.repos.sessions.findValid(sessionTokenHash(1))).toBeUndefined();
      expect(await f.repos.sessions.deleteForUser(userId)).toBe(2);
      expect(await f.repos.sessions.findValid(sessionTokenHash(2))).toBeUndefined();
    });

    it('accepts only token hashes, and only for existing users', async () => {
      await expectCode(
        f.repos.sessions.create({
          tokenHash: 'plain-cookie-token',
          userId,
          csrfToken: 'c'.repeat(32),
          expiresAt: '2040-01-01T00:00:00Z',
        }),
        'invalid_body',
      );
      await expectCode(
        f.repos.sessions.create({
          tokenHash: sessionTokenHash(9),
          userId: 'ghost',
          csrfToken: 'c'.repeat(32),
          expiresAt: '2040-01-01T00:00:00Z',
        }),
        'not_found',
      );
    });
  });
}
