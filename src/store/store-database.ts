import type { Kysely } from 'kysely';
import type { StoreSchema } from './store-schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * An open store: the Kysely instance, which back-end it talks to (for the few places SQL differs), and
 * how to close it. Repositories and the migration and rotation functions take this handle.
 */
export interface StoreDatabase {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: StoreDialect;
  /** The SQLite file (or `:memory:`), or the PostgreSQL URL with its password masked. */
  readonly location: string;
  close(): Promise<void>;
}
