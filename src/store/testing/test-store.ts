import type { StoreDatabase } from '../store-database.js';

/** A fresh, empty store for one test, and how to throw it away. */
export interface TestStore {
  readonly store: StoreDatabase;
  dispose(): Promise<void>;
  /**
   * Another handle on the same database with connections of its own, as a second process would have;
   * the caller closes it. Absent for SQLite: two handles in one process would block each other inside
   * better-sqlite3's synchronous busy wait, so SQLite tests share one handle between repositories.
   */
  openAnother?(): Promise<StoreDatabase>;
}

export type TestStoreFactory = () => Promise<TestStore>;
