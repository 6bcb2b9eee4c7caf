import { z } from 'zod';
import type { QuotaReservation, QuotaUsageRepository } from '../domain/index.js';
import { idSchema, parseInput } from './input-validation.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');
const amountSchema = z.number().int().min(0).max(1_000_000_000);

/**
 * Monthly quota counters. `add` is one upsert whose update only happens while the new total stays
 * within the limit (`on conflict … do update … where`), so the check and the increment are one atomic
 * step on both dialects: PostgreSQL re-evaluates the condition on the locked, latest row; SQLite has
 * one writer at a time.
 */
export class SqlQuotaUsageRepository implements QuotaUsageRepository {
  readonly #store: StoreDatabase;

  constructor(store: StoreDatabase) {
    this.#store = store;
  }

  async add(userId: string, month: string, count: number, limit: number): Promise<QuotaReservation> {
    const input = parseInput(
      z.strictObject({ userId: idSchema, month: monthSchema, count: amountSchema, limit: amountSchema }),
      { userId, month, count, limit },
      'quota usage',
    );
    if (input.count > input.limit) return { allowed: false, used: await this.get(input.userId, input.month) };
    const row = await translateStoreErrors(
      () =>
        this.#store.db
          .insertInto('quota_usage')
          .values({ user_id: input.userId, month: input.month, count: input.count })
          .onConflict((conflict) =>
            conflict
              .columns(['user_id', 'month'])
              .doUpdateSet((eb) => ({ count: eb('quota_usage.count', '+', eb.ref('excluded.count')) }))
              .where((eb) => eb(eb('quota_usage.count', '+', eb.ref('excluded.count')), '<=', input.limit)),
          )
          .returning('count')
          .executeTakeFirst(),
      { foreignKey: `No user ${input.userId}.` },
    );
    if (row) return { allowed: true, used: Number(row.count) };
    return { allowed: false, used: await this.get(input.userId, input.month) };
  }

  async get(userId: string, month: string): Promise<number> {
    const row = await this.#store.db
      .selectFrom('quota_usage')
      .select('count')
      .where('user_id', '=', parseInput(idSchema, userId, 'user id'))
      .where('month', '=', parseInput(monthSchema, month, 'month'))
      .executeTakeFirst();
    return row ? Number(row.count) : 0;
  }
}
