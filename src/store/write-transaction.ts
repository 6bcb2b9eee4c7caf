import { sql, type Kysely } from 'kysely';
import type { StoreDatabase } from './store-database.js';
import type { StoreSchema } from './store-schema.js';

/**
 * A transaction that is going to write. On SQLite it begins IMMEDIATE, taking the write lock up front:
 * a deferred transaction that reads first and writes later fails at once with SQLITE_BUSY (no busy
 * timeout applies) when another process committed in between (https://www.sqlite.org/lang_transaction.html).
 * Within one process Kysely runs one connection's statements one at a time, so this only matters, and
 * keeps things right, when several processes share the file. PostgreSQL uses an ordinary transaction.
 */
export async function inWriteTransaction<T>(
  store: StoreDatabase,
  work: (trx: Kysely<StoreSchema>) => Promise<T>,
): Promise<T> {
  if (store.dialect === 'postgres') return store.db.transaction().execute(work);
  return store.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    let result: T;
    try {
      result = await work(connection);
    } catch (error) {
      // SQLite may have rolled back already (SQLITE_FULL, say); the original error is what matters.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
    await sql`commit`.execute(connection);
    return result;
  });
}
