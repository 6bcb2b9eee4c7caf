import { z } from 'zod';
import type { RequestCounter } from '../domain/index.js';
import { idSchema, parseInput } from './input-validation.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';

const daySchema = z.iso.date();
const countSchema = z.number().int().min(0).max(1_000_000);

/**
 * Dataverse requests per connection and UTC day. `add` is one upsert that increments in the database
 * (`count = count + excluded.count`) and returns the new total, atomic on both dialects: PostgreSQL
 * locks the row for the update, and SQLite runs one writer at a time.
 */
export class SqlCrmRequestCountRepository implements RequestCounter {
  readonly #store: StoreDatabase;

  constructor(store: StoreDatabase) {
    this.#store = store;
  }

  async add(connectionId: string, day: string, count: number): Promise<number> {
    const input = parseInput(
      z.strictObject({ connectionId: idSchema, day: daySchema, count: countSchema }),
      { connectionId, day, count },
      'request count',
    );
    const row = await translateStoreErrors(
      () =>
        this.#store.db
          .insertInto('crm_request_counts')
          .values({ connection_id: input.connectionId, day: input.day, count: input.count })
          .onConflict((conflict) =>
            conflict.columns(['connection_id', 'day']).doUpdateSet((eb) => ({
              count: eb('crm_request_counts.count', '+', eb.ref('excluded.count')),
            })),
          )
          .returning('count')
          .executeTakeFirstOrThrow(),
      { foreignKey: `No CRM connection ${connectionId}.` },
    );
    return Number(row.count);
  }

  async get(connectionId: string, day: string): Promise<number> {
    const row = await this.#store.db
      .selectFrom('crm_request_counts')
      .select('count')
      .where('connection_id', '=', connectionId)
      .where('day', '=', parseInput(daySchema, day, 'day'))
      .executeTakeFirst();
    return row ? Number(row.count) : 0;
  }
}
