import type { CrmTable, SyncCursorRepository } from '../domain/index.js';
import { isoNow, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';

/** One cursor per connection and table: the change-tracking delta link or the `modifiedon` watermark. */
export class SqlSyncCursorRepository implements SyncCursorRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock: StoreClock }) {
    this.#store = store;
    this.#clock = options.clock;
  }

  async get(connectionId: string, table: CrmTable): Promise<string | undefined> {
    const row = await this.#store.db
      .selectFrom('sync_cursors')
      .select('cursor')
      .where('connection_id', '=', connectionId)
      .where('table_name', '=', table)
      .executeTakeFirst();
    return row?.cursor;
  }

  async set(connectionId: string, table: CrmTable, cursor: string): Promise<void> {
    const updatedAt = isoNow(this.#clock);
    await this.#store.db
      .insertInto('sync_cursors')
      .values({ connection_id: connectionId, table_name: table, cursor, updated_at: updatedAt })
      .onConflict((conflict) =>
        conflict.columns(['connection_id', 'table_name']).doUpdateSet({ cursor, updated_at: updatedAt }),
      )
      .execute();
  }
}
