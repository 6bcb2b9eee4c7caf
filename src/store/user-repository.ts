import type { Selectable } from 'kysely';
import { z } from 'zod';
import {
  USER_ROLES,
  type NewUser,
  type User,
  type UserRepository,
  type UserSignInRecord,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, parseInput } from './input-validation.js';
import { newId } from './new-id.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { UsersTable } from './store-schema.js';

// Internationalised addresses (RFC 6531) are real; the default pattern would refuse `élodie@…`.
const emailSchema = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ pattern: z.regexes.unicodeEmail }));
const roleSchema = z.enum(USER_ROLES);
const passwordHashSchema = z.string().min(16, 'expected a password hash, not a password').max(1024);

const newUserSchema = z.strictObject({
  email: emailSchema,
  displayName: z.string().trim().min(1).max(200),
  passwordHash: passwordHashSchema,
  role: roleSchema,
});

/** Case-insensitive uniqueness without citext or expression indexes: a normalised column. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export class SqlUserRepository implements UserRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async create(input: NewUser): Promise<User> {
    const user = parseInput(newUserSchema, input, 'user');
    const now = isoNow(this.#clock);
    const row: Selectable<UsersTable> = {
      id: newId(),
      email: user.email,
      email_normalized: normalizeEmail(user.email),
      display_name: user.displayName,
      password_hash: user.passwordHash,
      role: user.role,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    };
    await translateStoreErrors(() => this.#store.db.insertInto('users').values(row).execute(), {
      unique: `A user with the email ${user.email} already exists.`,
    });
    return toUser(row);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.#store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    return (await this.findForSignIn(email))?.user;
  }

  async findForSignIn(email: string): Promise<UserSignInRecord | undefined> {
    const row = await this.#store.db
      .selectFrom('users')
      .selectAll()
      .where('email_normalized', '=', normalizeEmail(email))
      .executeTakeFirst();
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  async list(): Promise<readonly User[]> {
    const rows = await this.#store.db.selectFrom('users').selectAll().orderBy('email_normalized').execute();
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const row = await this.#store.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    // PostgreSQL returns count(*) as a bigint string.
    return Number(row.count);
  }

  async updateRole(id: string, role: User['role']): Promise<User> {
    const checked = parseInput(roleSchema, role, 'role');
    return this.#update(id, { role: checked });
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    const checked = parseInput(passwordHashSchema, passwordHash, 'password hash');
    await this.#update(id, { password_hash: checked });
  }

  async disable(id: string): Promise<User> {
    parseInput(idSchema, id, 'user id');
    return this.#store.db.transaction().execute(async (trx) => {
      const now = isoNow(this.#clock);
      const row = await trx
        .updateTable('users')
        .set((eb) => ({ disabled_at: eb.fn.coalesce('disabled_at', eb.val(now)), updated_at: now }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new LeadbridgeError('not_found', `No user ${id}.`);
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      return toUser(row);
    });
  }

  async enable(id: string): Promise<User> {
    return this.#update(id, { disabled_at: null });
  }

  async #update(id: string, changes: Partial<Pick<UsersTable, 'role' | 'password_hash' | 'disabled_at'>>) {
    const row = await this.#store.db
      .updateTable('users')
      .set({ ...changes, updated_at: isoNow(this.#clock) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeadbridgeError('not_found', `No user ${id}.`);
    return toUser(row);
  }
}

/** Takes only what a `User` shows, so callers need not select the password hash. */
export function toUser(
  row: Pick<
    Selectable<UsersTable>,
    'id' | 'email' | 'display_name' | 'role' | 'disabled_at' | 'created_at' | 'updated_at'
  >,
): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: roleSchema.parse(row.role),
    ...(row.disabled_at !== null && { disabledAt: row.disabled_at }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
