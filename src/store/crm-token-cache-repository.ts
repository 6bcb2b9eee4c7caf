import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { z } from 'zod';
import type { TokenCacheKey, TokenCacheStore } from '../domain/index.js';
import { idSchema, parseInput } from './input-validation.js';
import { newId } from './new-id.js';
import type { SecretKey } from './secrets/secret-key.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { StoreSchema } from './store-schema.js';

const keySchema = z.strictObject({ connectionId: idSchema, userId: idSchema.optional() });

/** What a sealed cache is bound to: its connection and user (or the application). */
export const tokenCacheContext = (connectionId: string, userId: string | null): string =>
  `crm_token_caches.cache:${connectionId}:${userId ?? 'application'}`;

/**
 * MSAL token caches (they hold refresh tokens), sealed at rest; one per connection for the application
 * and one per connection and user for delegated sign-ins. Saving is one upsert against the partial
 * unique index that matches the key, so concurrent saves never make two rows.
 */
export class SqlCrmTokenCacheRepository implements TokenCacheStore {
  readonly #store: StoreDatabase;
  readonly #key: SecretKey;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, key: SecretKey, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#key = key;
    this.#clock = options.clock ?? systemClock;
  }

  async load(key: TokenCacheKey): Promise<string | undefined> {
    const { connectionId, userId } = parseInput(keySchema, key, 'token cache key');
    const row = await this.#store.db
      .selectFrom('crm_token_caches')
      .select('cache_sealed')
      .where((eb) => matchesKey(eb, connectionId, userId))
      .executeTakeFirst();
    return row && this.#key.open(row.cache_sealed, tokenCacheContext(connectionId, userId ?? null));
  }

  async save(key: TokenCacheKey, serializedCache: string): Promise<void> {
    const { connectionId, userId } = parseInput(keySchema, key, 'token cache key');
    const sealed = this.#key.seal(serializedCache, tokenCacheContext(connectionId, userId ?? null));
    const accountHomeId = userId === undefined ? null : firstHomeAccountId(serializedCache);
    const now = isoNow(this.#clock);
    await translateStoreErrors(
      () =>
        this.#store.db
          .insertInto('crm_token_caches')
          .values({
            id: newId(),
            connection_id: connectionId,
            user_id: userId ?? null,
            cache_sealed: sealed,
            account_home_id: accountHomeId,
            updated_at: now,
          })
          .onConflict((conflict) =>
            (userId === undefined
              ? conflict.column('connection_id').where('user_id', 'is', null)
              : conflict.columns(['connection_id', 'user_id']).where('user_id', 'is not', null)
            ).doUpdateSet((eb) => ({
              cache_sealed: eb.ref('excluded.cache_sealed'),
              account_home_id: eb.ref('excluded.account_home_id'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute(),
      { foreignKey: `No CRM connection ${connectionId}${userId === undefined ? '' : ` or user ${userId}`}.` },
    );
  }

  async delete(key: TokenCacheKey): Promise<void> {
    const { connectionId, userId } = parseInput(keySchema, key, 'token cache key');
    await this.#store.db
      .deleteFrom('crm_token_caches')
      .where((eb) => matchesKey(eb, connectionId, userId))
      .execute();
  }

  /** A person's sign-in to a connection: MSAL's account and when its tokens were last stored. */
  async findSignIn(key: TokenCacheKey): Promise<{ accountHomeId?: string; updatedAt: string } | undefined> {
    const { connectionId, userId } = parseInput(keySchema, key, 'token cache key');
    const row = await this.#store.db
      .selectFrom('crm_token_caches')
      .select(['account_home_id', 'updated_at'])
      .where((eb) => matchesKey(eb, connectionId, userId))
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      updatedAt: row.updated_at,
      ...(row.account_home_id ? { accountHomeId: row.account_home_id } : {}),
    };
  }

  /** MSAL's home account id (`<oid>.<tid>`) of a user's cache, to pick the account without decrypting. */
  async findAccountHomeId(key: TokenCacheKey): Promise<string | undefined> {
    const { connectionId, userId } = parseInput(keySchema, key, 'token cache key');
    const row = await this.#store.db
      .selectFrom('crm_token_caches')
      .select('account_home_id')
      .where((eb) => matchesKey(eb, connectionId, userId))
      .executeTakeFirst();
    return row?.account_home_id ?? undefined;
  }
}

function matchesKey(
  eb: ExpressionBuilder<StoreSchema, 'crm_token_caches'>,
  connectionId: string,
  userId: string | undefined,
): Expression<SqlBool> {
  return eb.and([
    eb('connection_id', '=', connectionId),
    userId === undefined ? eb('user_id', 'is', null) : eb('user_id', '=', userId),
  ]);
}

/** The first account in an MSAL serialized cache (`{"Account": {"<key>": {"home_account_id": …}}}`). */
function firstHomeAccountId(serializedCache: string): string | null {
  try {
    const parsed: unknown = JSON.parse(serializedCache);
    const accounts = z
      .object({ Account: z.record(z.string(), z.object({ home_account_id: z.string() })) })
      .safeParse(parsed);
    return (accounts.success && Object.values(accounts.data.Account)[0]?.home_account_id) || null;
  } catch {
    return null;
  }
}
