import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { NewPendingCrmSignIn, PendingCrmSignIn, PendingCrmSignInRepository } from '../domain/index.js';
import { hashToken } from '../shared/opaque-token.js';
import { idSchema, instantSchema, parseInput } from './input-validation.js';
import type { SecretKey } from './secrets/secret-key.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { PendingCrmSignInsTable, StoreSchema } from './store-schema.js';

const newSignInSchema = z.strictObject({
  // Entra ID returns `state` in a URL; anything longer than this is not one we made.
  state: z.string().min(16).max(512),
  connectionId: idSchema,
  userId: idSchema,
  redirectUri: z.url({ protocol: /^https?$/ }).max(2048),
  // RFC 7636 §4.1: 43 to 128 characters.
  codeVerifier: z.string().min(43).max(128),
  expiresAt: instantSchema,
});

/** What a sealed code verifier is bound to: its row. */
export const pendingSignInContext = (stateHash: string): string =>
  `pending_crm_sign_ins.code_verifier:${stateHash}`;

/**
 * Delegated sign-ins between the redirect to Entra ID and its answer. Rows are keyed by the hash of the
 * `state`, so the table alone cannot finish anyone's sign-in; the code verifier is sealed on top.
 * Consuming is one `DELETE … RETURNING` (SQLite ≥ 3.35 and PostgreSQL), so a state is used at most once
 * across processes.
 */
export class SqlPendingCrmSignInRepository implements PendingCrmSignInRepository {
  readonly #store: StoreDatabase;
  readonly #key: SecretKey;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, key: SecretKey, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#key = key;
    this.#clock = options.clock ?? systemClock;
  }

  async create(input: NewPendingCrmSignIn): Promise<PendingCrmSignIn> {
    const signIn = parseInput(newSignInSchema, input, 'pending CRM sign-in');
    const stateHash = hashToken(signIn.state);
    const row: Selectable<PendingCrmSignInsTable> = {
      state_hash: stateHash,
      connection_id: signIn.connectionId,
      user_id: signIn.userId,
      redirect_uri: signIn.redirectUri,
      code_verifier_sealed: this.#key.seal(signIn.codeVerifier, pendingSignInContext(stateHash)),
      created_at: isoNow(this.#clock),
      expires_at: signIn.expiresAt,
    };
    await translateStoreErrors(
      () => this.#store.db.insertInto('pending_crm_sign_ins').values(row).execute(),
      {
        unique: 'That sign-in state is already in use.',
        foreignKey: `No CRM connection ${signIn.connectionId} or user ${signIn.userId}.`,
      },
    );
    return this.#toSignIn(row);
  }

  async consume(state: string, userId: string): Promise<PendingCrmSignIn | undefined> {
    const row = await this.#store.db
      .deleteFrom('pending_crm_sign_ins')
      .where('state_hash', '=', hashToken(state))
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row && this.#toSignIn(row);
  }

  async deleteExpired(): Promise<number> {
    const result = await this.#store.db
      .deleteFrom('pending_crm_sign_ins')
      .where('expires_at', '<=', isoNow(this.#clock))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  #toSignIn(row: Selectable<PendingCrmSignInsTable>): PendingCrmSignIn {
    return {
      connectionId: row.connection_id,
      userId: row.user_id,
      redirectUri: row.redirect_uri,
      codeVerifier: this.#key.open(row.code_verifier_sealed, pendingSignInContext(row.state_hash)),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }
}

/**
 * The code verifiers as a `SealedColumn` (listed in `secrets/sealed-columns.ts`), for key rotation and
 * the start-up key check. Typed structurally: importing that type here would make an import cycle.
 */
export const pendingSignInVerifiers = {
  name: 'pending_crm_sign_ins.code_verifier_sealed',
  async read(db: Kysely<StoreSchema>, forUpdate: boolean) {
    let query = db.selectFrom('pending_crm_sign_ins').select(['state_hash', 'code_verifier_sealed']);
    if (forUpdate) query = query.forUpdate();
    const rows = await query.execute();
    return rows.map((row) => ({
      id: row.state_hash,
      sealed: row.code_verifier_sealed,
      context: pendingSignInContext(row.state_hash),
    }));
  },
  async write(db: Kysely<StoreSchema>, id: string, sealed: string) {
    await db
      .updateTable('pending_crm_sign_ins')
      .set({ code_verifier_sealed: sealed })
      .where('state_hash', '=', id)
      .execute();
  },
};
