import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCHING_STRATEGY } from '../../domain/index.js';
import { createRepositories } from '../create-repositories.js';
import { SecretKey } from '../secrets/secret-key.js';
import { SqlMatchingStrategyRepository } from '../matching-strategy-repository.js';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, useStoreFixture, withSecondHandle } from './store-fixture.js';

const BY_NAME = [
  { sourceField: 'firstName', crmColumn: 'firstname' },
  { sourceField: 'lastName', crmColumn: 'lastname' },
];

export function describeMatchingStrategySuite(dialect: string, factory: TestStoreFactory): void {
  describe(`matching strategies on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    const activeCount = async (): Promise<number> =>
      (await f.store.db.selectFrom('matching_strategies').select('id').where('active', '=', 1).execute())
        .length;

    it('start with the default, created once however many ask at the same time', async () => {
      const strategies = f.repos.matchingStrategies;
      await withSecondHandle(f.testStore, async (other) => {
        // Two processes on PostgreSQL; on SQLite, a second repository over the same handle.
        const elsewhere = new SqlMatchingStrategyRepository(other ?? f.store, { clock: f.clock });
        const answers = await Promise.all([
          ...Array.from({ length: 5 }, () => strategies.active()),
          ...Array.from({ length: 5 }, () => elsewhere.active()),
        ]);
        expect(new Set(answers.map((s) => s.id)).size).toBe(1);
      });
      const active = await strategies.active();
      expect(active).toMatchObject({ ...DEFAULT_MATCHING_STRATEGY, active: true, createdAt: f.now() });
      expect(await strategies.list()).toEqual([active]);
      expect(await strategies.get(active.id)).toEqual(active);
    });

    it('keep exactly one active: activate swaps in one step, the active one cannot be deleted', async () => {
      const strategies = f.repos.matchingStrategies;
      const byName = await strategies.create({ name: 'Name', pairs: BY_NAME });
      expect(byName.active).toBe(false);
      const initial = await strategies.active();
      expect(initial.name).toBe(DEFAULT_MATCHING_STRATEGY.name);
      await expectCode(strategies.delete(initial.id), 'strategy_active');

      f.advance(1000);
      const activated = await strategies.activate(byName.id);
      expect(activated).toMatchObject({ id: byName.id, active: true, updatedAt: f.now() });
      expect((await strategies.active()).id).toBe(byName.id);
      expect((await strategies.get(initial.id))?.active).toBe(false);
      expect(await activeCount()).toBe(1);
      expect((await strategies.activate(byName.id)).active).toBe(true);

      await strategies.delete(initial.id);
      expect((await strategies.list()).map((s) => s.id)).toEqual([byName.id]);
      await expectCode(strategies.delete(byName.id), 'strategy_active');
      await expectCode(strategies.activate('no-such-strategy'), 'not_found');
      await expectCode(strategies.delete('no-such-strategy'), 'not_found');
      // Deleting the first default does not bring it back.
      expect((await strategies.active()).id).toBe(byName.id);
      expect(await strategies.list()).toHaveLength(1);
    });

    it('stay at one active under concurrent activations', async () => {
      const strategies = f.repos.matchingStrategies;
      const created = await Promise.all(
        [1, 2, 3, 4].map((n) => strategies.create({ name: `S${n}`, pairs: BY_NAME })),
      );
      await withSecondHandle(f.testStore, async (other) => {
        const elsewhere = other
          ? createRepositories(other, { secretKey: SecretKey.generate(), clock: f.clock }).matchingStrategies
          : strategies;
        await Promise.all(created.map((s, i) => (i % 2 === 0 ? strategies : elsewhere).activate(s.id)));
      });
      expect(await activeCount()).toBe(1);
      expect(created.map((s) => s.id)).toContain((await strategies.active()).id);
    });

    it('update names and pairs, validated', async () => {
      const strategies = f.repos.matchingStrategies;
      const strategy = await strategies.create({ name: 'Name', pairs: BY_NAME });
      f.advance(1000);
      const firstNameOnly = [{ sourceField: 'firstName', crmColumn: 'firstname' }];
      const updated = await strategies.update(strategy.id, { pairs: firstNameOnly });
      expect(updated).toMatchObject({ name: 'Name', pairs: firstNameOnly, updatedAt: f.now() });
      await expectCode(strategies.update(strategy.id, { pairs: [] }), 'invalid_body');
      await expectCode(
        strategies.update(strategy.id, { pairs: [{ sourceField: 'email', crmColumn: 'Email Address' }] }),
        'invalid_body',
      );
      await expectCode(strategies.create({ name: '', pairs: BY_NAME }), 'invalid_body');
      await expectCode(strategies.update('no-such-strategy', { name: 'x' }), 'not_found');
      expect(await strategies.get(strategy.id)).toEqual(updated);
    });
  });
}
