import type { Selectable } from 'kysely';
import type { IssuedSourceApiKey, SourceApiKey, SourceApiKeyRepository } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, parseInput } from './input-validation.js';
import { maskSecretsInLogs } from './log-masking.js';
import { newId } from './new-id.js';
import { generateOpaqueToken, hashToken } from '../shared/opaque-token.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { SourceApiKeysTable } from './store-schema.js';

export const SOURCE_API_KEY_PREFIX = 'lb_src_';

/** Keys capture sources authenticate with; they go with their source when it is deleted. */
export class SqlSourceApiKeyRepository implements SourceApiKeyRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async create(sourceId: string): Promise<IssuedSourceApiKey> {
    const checked = parseInput(idSchema, sourceId, 'source id');
    const plainKey = generateOpaqueToken(SOURCE_API_KEY_PREFIX);
    const row: Selectable<SourceApiKeysTable> = {
      id: newId(),
      source_id: checked,
      key_hash: hashToken(plainKey),
      created_at: isoNow(this.#clock),
      revoked_at: null,
    };
    await translateStoreErrors(() => this.#store.db.insertInto('source_api_keys').values(row).execute(), {
      foreignKey: `No lead source ${checked}.`,
    });
    return maskSecretsInLogs({ key: toSourceApiKey(row), plainKey }, ['plainKey']);
  }

  async verify(plainKey: string): Promise<SourceApiKey | undefined> {
    if (!plainKey.startsWith(SOURCE_API_KEY_PREFIX)) return undefined;
    const row = await this.#store.db
      .selectFrom('source_api_keys')
      .selectAll()
      .where('key_hash', '=', hashToken(plainKey))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row && toSourceApiKey(row);
  }

  async revoke(id: string): Promise<SourceApiKey> {
    const now = isoNow(this.#clock);
    const row = await this.#store.db
      .updateTable('source_api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeadbridgeError('not_found', `No source API key ${id}.`);
    return toSourceApiKey(row);
  }

  async listForSource(sourceId: string): Promise<readonly SourceApiKey[]> {
    const rows = await this.#store.db
      .selectFrom('source_api_keys')
      .selectAll()
      .where('source_id', '=', sourceId)
      .orderBy('created_at')
      .execute();
    return rows.map(toSourceApiKey);
  }
}

function toSourceApiKey(row: Selectable<SourceApiKeysTable>): SourceApiKey {
  return {
    id: row.id,
    sourceId: row.source_id,
    createdAt: row.created_at,
    ...(row.revoked_at !== null && { revokedAt: row.revoked_at }),
  };
}
