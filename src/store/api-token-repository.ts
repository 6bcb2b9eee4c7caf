import type { Selectable } from 'kysely';
import { z } from 'zod';
import {
  USER_ROLES,
  type ApiToken,
  type ApiTokenRepository,
  type IssuedApiToken,
  type NewApiToken,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, parseInput } from './input-validation.js';
import { maskSecretsInLogs } from './log-masking.js';
import { newId } from './new-id.js';
import { generateOpaqueToken, hashToken } from '../shared/opaque-token.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { ApiTokensTable } from './store-schema.js';

export const API_TOKEN_PREFIX = 'lb_pat_';

/** A token's last use is written at most this often, so verifying is not a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

const roleSchema = z.enum(USER_ROLES);
const newApiTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  userId: idSchema.optional(),
});

export class SqlApiTokenRepository implements ApiTokenRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async create(input: NewApiToken): Promise<IssuedApiToken> {
    const token = parseInput(newApiTokenSchema, input, 'API token');
    const plainToken = generateOpaqueToken(API_TOKEN_PREFIX);
    const row: Selectable<ApiTokensTable> = {
      id: newId(),
      token_hash: hashToken(plainToken),
      name: token.name,
      role: token.role,
      user_id: token.userId ?? null,
      created_at: isoNow(this.#clock),
      last_used_at: null,
      revoked_at: null,
    };
    await translateStoreErrors(() => this.#store.db.insertInto('api_tokens').values(row).execute(), {
      foreignKey: `No user ${token.userId ?? ''}.`,
    });
    return maskSecretsInLogs({ token: toApiToken(row), plainToken }, ['plainToken']);
  }

  async verify(plainToken: string): Promise<ApiToken | undefined> {
    if (!plainToken.startsWith(API_TOKEN_PREFIX)) return undefined;
    const row = await this.#store.db
      .selectFrom('api_tokens')
      .leftJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .where('api_tokens.token_hash', '=', hashToken(plainToken))
      .where('api_tokens.revoked_at', 'is', null)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.#clock();
    const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS).toISOString();
    if (row.last_used_at === null || row.last_used_at < stale) {
      await this.#store.db
        .updateTable('api_tokens')
        .set({ last_used_at: now.toISOString() })
        .where('id', '=', row.id)
        .execute();
      return toApiToken({ ...row, last_used_at: now.toISOString() });
    }
    return toApiToken(row);
  }

  async revoke(id: string): Promise<ApiToken> {
    const now = isoNow(this.#clock);
    const row = await this.#store.db
      .updateTable('api_tokens')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeadbridgeError('not_found', `No API token ${id}.`);
    return toApiToken(row);
  }

  async list(): Promise<readonly ApiToken[]> {
    const rows = await this.#store.db.selectFrom('api_tokens').selectAll().orderBy('created_at').execute();
    return rows.map(toApiToken);
  }
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: roleSchema.parse(row.role),
    ...(row.user_id !== null && { userId: row.user_id }),
    createdAt: row.created_at,
    ...(row.last_used_at !== null && { lastUsedAt: row.last_used_at }),
    ...(row.revoked_at !== null && { revokedAt: row.revoked_at }),
  };
}
