import type { Kysely } from 'kysely';
import { credentialsContext } from '../crm-connection-repository.js';
import { tokenCacheContext } from '../crm-token-cache-repository.js';
import { pendingSignInVerifiers } from '../pending-sign-in-repository.js';
import type { StoreSchema } from '../store-schema.js';

export interface SealedValue {
  readonly id: string;
  readonly sealed: string;
  readonly context: string;
}

/**
 * Every column that holds sealed secrets, with how to read and rewrite it. Rotation and key checks
 * walk this list, so a new secret column must be added here (the store suite checks that rotation
 * leaves nothing under the old key in any of them).
 */
export interface SealedColumn {
  readonly name: string;
  read(db: Kysely<StoreSchema>, forUpdate: boolean): Promise<readonly SealedValue[]>;
  write(db: Kysely<StoreSchema>, id: string, sealed: string): Promise<void>;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    name: 'crm_connections.credentials_sealed',
    async read(db, forUpdate) {
      let query = db
        .selectFrom('crm_connections')
        .select(['id', 'credentials_sealed'])
        .where('credentials_sealed', 'is not', null);
      if (forUpdate) query = query.forUpdate();
      const rows = await query.execute();
      return rows.flatMap((row) =>
        row.credentials_sealed === null
          ? []
          : [{ id: row.id, sealed: row.credentials_sealed, context: credentialsContext(row.id) }],
      );
    },
    async write(db, id, sealed) {
      await db
        .updateTable('crm_connections')
        .set({ credentials_sealed: sealed })
        .where('id', '=', id)
        .execute();
    },
  },
  {
    name: 'crm_token_caches.cache_sealed',
    async read(db, forUpdate) {
      let query = db
        .selectFrom('crm_token_caches')
        .select(['id', 'connection_id', 'user_id', 'cache_sealed']);
      if (forUpdate) query = query.forUpdate();
      const rows = await query.execute();
      return rows.map((row) => ({
        id: row.id,
        sealed: row.cache_sealed,
        context: tokenCacheContext(row.connection_id, row.user_id),
      }));
    },
    async write(db, id, sealed) {
      await db.updateTable('crm_token_caches').set({ cache_sealed: sealed }).where('id', '=', id).execute();
    },
  },
  pendingSignInVerifiers,
];
