import { describe, expect, it } from 'vitest';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, sessionTokenHash, useStoreFixture } from './store-fixture.js';

export function describeUserSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`users on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    const newUser = (email: string, role: 'admin' | 'salesperson' = 'salesperson') => ({
      email,
      displayName: 'Ada Lovelace',
      passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      role,
    });

    it('keeps emails unique case-insensitively, Unicode included', async () => {
      const ada = await f.repos.users.create(newUser('Ada@Example.com'));
      expect(ada.email).toBe('Ada@Example.com');
      await expectCode(f.repos.users.create(newUser('ada@EXAMPLE.COM')), 'conflict');
      await f.repos.users.create(newUser('ÉLODIE@example.com'));
      await expectCode(f.repos.users.create(newUser('élodie@example.com')), 'conflict');
      expect((await f.repos.users.findByEmail('  ADA@example.com '))?.id).toBe(ada.id);
      expect(await f.repos.users.count()).toBe(2);
    });

    it('validates email and role at the edge', async () => {
      await expectCode(f.repos.users.create(newUser('not-an-email')), 'invalid_body');
      await expectCode(
        f.repos.users.create({ ...newUser('b@example.com'), role: 'owner' as 'admin' }),
        'invalid_body',
      );
      const user = await f.repos.users.create(newUser('b@example.com'));
      await expectCode(f.repos.users.updateRole(user.id, 'root' as 'admin'), 'invalid_body');
      expect(await f.repos.users.count()).toBe(1);
    });

    it('keeps the password hash out of users, but gives it to sign-in', async () => {
      const user = await f.repos.users.create(newUser('c@example.com'));
      expect(JSON.stringify(user)).not.toContain('scrypt');
      expect(JSON.stringify(await f.repos.users.list())).not.toContain('scrypt');
      const signIn = await f.repos.users.findForSignIn('C@example.com');
      expect(signIn?.passwordHash).toBe('scrypt$16384$8$1$c2FsdA$aGFzaA');
      await f.repos.users.updatePasswordHash(user.id, 'scrypt$16384$8$1$bmV3$bmV3aGFzaA');
      expect((await f.repos.users.findForSignIn('c@example.com'))?.passwordHash).toBe(
        'scrypt$16384$8$1$bmV3$bmV3aGFzaA',
      );
    });

    it('finds by id, lists, changes roles and disables (ending sessions)', async () => {
      const b = await f.repos.users.create(newUser('b@example.com'));
      const a = await f.repos.users.create(newUser('a@example.com', 'admin'));
      expect((await f.repos.users.list()).map((u) => u.email)).toEqual(['a@example.com', 'b@example.com']);
      expect(await f.repos.users.findById(a.id)).toEqual(a);
      expect(await f.repos.users.findById('no-such-id')).toBeUndefined();
      f.advance(1000);
      const promoted = await f.repos.users.updateRole(b.id, 'admin');
      expect(promoted.role).toBe('admin');
      expect(promoted.updatedAt).not.toBe(b.updatedAt);
      await f.repos.sessions.create({
        tokenHash: sessionTokenHash(1),
        userId: b.id,
        csrfToken: 'csrf'.repeat(8),
        expiresAt: '2031-03-05T00:00:00Z',
      });
      const disabled = await f.repos.users.disable(b.id);
      expect(disabled.disabledAt).toBe(f.now());
      expect(await f.repos.sessions.findValid(sessionTokenHash(1))).toBeUndefined();
      f.advance(1000);
      expect((await f.repos.users.disable(b.id)).disabledAt).toBe(disabled.disabledAt);
      expect((await f.repos.users.enable(b.id)).disabledAt).toBeUndefined();
      await expectCode(f.repos.users.disable('missing'), 'not_found');
    });
  });
}
