import type { StoredRecord } from './stored-record.js';

export type StoreChange =
  | { readonly kind: 'put'; readonly table: string; readonly id: string; readonly record: StoredRecord }
  | { readonly kind: 'delete'; readonly table: string; readonly id: string; readonly version: number };

/** Where committed changes go: nowhere (in memory) or a journal file (`--data DIR`). */
export interface PersistenceDriver {
  load(): { changes: readonly StoreChange[]; version: number };
  append(changes: readonly StoreChange[], version: number): void;
  rewrite(changes: readonly StoreChange[], version: number): void;
}

export const inMemoryPersistence = (): PersistenceDriver => ({
  load: () => ({ changes: [], version: 0 }),
  append: () => undefined,
  rewrite: () => undefined,
});
