import type { StoreDatabase } from '../store-database.js';

/** A fresh, empty store for one test, and how to throw it away. */
export interface TestStore {
  readonly store: StoreDatabase;
  dispose(): Promise<void>;
}

export type TestStoreFactory = () => Promise<TestStore>;
