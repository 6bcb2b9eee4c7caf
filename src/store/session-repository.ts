import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { NewSession, Session, SessionRepository, ValidSession } from '../domain/index.js';
import { idSchema, instantSchema, parseInput, sha256HexSchema } from './input-validation.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { SessionsTable } from './store-schema.js';
import { toUser } from './user-repository.js';

const newSessionSchema = z.strictObject({
  tokenHash: sha256HexSchema,
  userId: idSchema,
  csrfToken: z.string().min(16).max(200),
  expiresAt: instantSchema,
});

/** Sessions keyed by the hash of their cookie token: a leaked table cannot be replayed as cookies. */
export class SqlSessionRepository implements SessionRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async create(input: NewSession): Promise<Session> {
    const session = parseInput(newSessionSchema, input, 'session');
    const now = isoNow(this.#clock);
    const row: Selectable<SessionsTable> = {
      id: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: now,
      expires_at: session.expiresAt,
      last_seen_at: now,
    };
    await translateStoreErrors(() => this.#store.db.insertInto('sessions').values(row).execute(), {
      unique: 'That session token is already in use.',
      foreignKey: `No user ${session.userId}.`,
    });
    return toSession(row);
  }

  async findValid(tokenHash: string): Promise<ValidSession | undefined> {
    const row = await this.#store.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('sessions')
      .select([
        'users.email',
        'users.display_name',
        'users.role',
        'users.disabled_at',
        'users.created_at as user_created_at',
        'users.updated_at as user_updated_at',
      ])
      .where('sessions.id', '=', tokenHash)
      .where('sessions.expires_at', '>', isoNow(this.#clock))
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      session: toSession(row),
      user: toUser({
        ...row,
        id: row.user_id,
        created_at: row.user_created_at,
        updated_at: row.user_updated_at,
      }),
    };
  }

  async touch(tokenHash: string, expiresAt?: string): Promise<void> {
    const slidTo = expiresAt === undefined ? undefined : parseInput(instantSchema, expiresAt, 'expiry');
    await this.#store.db
      .updateTable('sessions')
      .set({ last_seen_at: isoNow(this.#clock), ...(slidTo !== undefined && { expires_at: slidTo }) })
      .where('id', '=', tokenHash)
      .execute();
  }

  async delete(tokenHash: string): Promise<void> {
    await this.#store.db.deleteFrom('sessions').where('id', '=', tokenHash).execute();
  }

  async deleteForUser(userId: string): Promise<number> {
    const result = await this.#store.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(): Promise<number> {
    const result = await this.#store.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', isoNow(this.#clock))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  };
}
