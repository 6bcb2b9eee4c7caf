import type { Kysely, Selectable } from 'kysely';
import type { LeadSource, LeadSourceRepository, NewLeadSource, SourceKind } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, parseInput } from './input-validation.js';
import {
  CLEARABLE_SOURCE_KEYS,
  leadSourceUpdateSchema,
  newLeadSourceSchema,
  storedDuplicatesSchema,
  storedFieldsSchema,
  storedMappingsSchema,
  storedFieldRulesSchema,
  type LeadSourceUpdate,
} from './lead-source-validation.js';
import { newId } from './new-id.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { toLeadbridgeError, translateStoreErrors } from './store-errors.js';
import type { LeadSourcesTable, StoreSchema } from './store-schema.js';
import { inWriteTransaction } from './write-transaction.js';

const noConnection = (id: string | undefined) => `No CRM connection ${id ?? ''}.`;

/**
 * Lead sources with their fields, mappings and duplicate handling as JSON columns. Deleting one takes
 * its API keys, leads, jobs and sync log along, and is refused while leads still wait to sync.
 */
export class SqlLeadSourceRepository implements LeadSourceRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async create(input: NewLeadSource): Promise<LeadSource> {
    const source = parseInput(newLeadSourceSchema, input, 'lead source');
    const now = isoNow(this.#clock);
    const row = toRow(newId(), source, now, now);
    await translateStoreErrors(() => this.#store.db.insertInto('lead_sources').values(row).execute(), {
      foreignKey: noConnection(source.connectionId),
    });
    return toLeadSource(row);
  }

  async get(id: string): Promise<LeadSource | undefined> {
    const row = await this.#store.db
      .selectFrom('lead_sources')
      .selectAll()
      .where('id', '=', parseInput(idSchema, id, 'source id'))
      .executeTakeFirst();
    return row && toLeadSource(row);
  }

  async list(): Promise<readonly LeadSource[]> {
    const rows = await this.#store.db
      .selectFrom('lead_sources')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toLeadSource);
  }

  /** Also accepts `null` for `connectionId`, `ownerSystemUserId`, `campaignId`, `marketingListId`: clear it. */
  async update(id: string, changes: LeadSourceUpdate): Promise<LeadSource> {
    const sourceId = parseInput(idSchema, id, 'source id');
    const checked = parseInput(leadSourceUpdateSchema, changes, 'lead source changes');
    try {
      return await inWriteTransaction(this.#store, async (trx) => {
        const { id: _id, createdAt, updatedAt: _updatedAt, ...current } = await existingSource(trx, sourceId);
        const merged: Record<string, unknown> = { ...current, ...checked };
        for (const key of CLEARABLE_SOURCE_KEYS) if (merged[key] === null) delete merged[key];
        const source = parseInput(newLeadSourceSchema, merged, 'lead source');
        const row = toRow(sourceId, source, createdAt, isoNow(this.#clock));
        await trx.updateTable('lead_sources').set(row).where('id', '=', sourceId).execute();
        return toLeadSource(row);
      });
    } catch (error) {
      throw toLeadbridgeError(error, { foreignKey: noConnection(checked.connectionId ?? undefined) });
    }
  }

  async delete(id: string): Promise<void> {
    const sourceId = parseInput(idSchema, id, 'source id');
    await inWriteTransaction(this.#store, async (trx) => {
      await existingSource(trx, sourceId);
      const waiting = await trx
        .selectFrom('inbound_leads')
        .select('id')
        .where('source_id', '=', sourceId)
        .where('status', '=', 'pending')
        .limit(1)
        .executeTakeFirst();
      if (waiting)
        throw new LeadbridgeError(
          'conflict',
          `The lead source ${sourceId} still has leads waiting to sync; let them finish or fail first.`,
        );
      // Foreign keys cascade too (jobs have none); deleting explicitly does not depend on that setting.
      await trx
        .deleteFrom('sync_jobs')
        .where('subject_id', 'in', (eb) =>
          eb.selectFrom('inbound_leads').select('id').where('source_id', '=', sourceId),
        )
        .execute();
      await trx.deleteFrom('sync_log').where('source_id', '=', sourceId).execute();
      await trx.deleteFrom('inbound_leads').where('source_id', '=', sourceId).execute();
      await trx.deleteFrom('source_api_keys').where('source_id', '=', sourceId).execute();
      await trx.deleteFrom('lead_sources').where('id', '=', sourceId).execute();
    });
  }
}

async function existingSource(trx: Kysely<StoreSchema>, id: string): Promise<LeadSource> {
  const row = await trx.selectFrom('lead_sources').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new LeadbridgeError('not_found', `No lead source ${id}.`);
  return toLeadSource(row);
}

function toRow(
  id: string,
  source: NewLeadSource,
  createdAt: string,
  updatedAt: string,
): Selectable<LeadSourcesTable> {
  return {
    id,
    name: source.name,
    kind: source.kind,
    connection_id: source.connectionId ?? null,
    fields: JSON.stringify(source.fields),
    mappings: JSON.stringify(source.mappings),
    duplicates: JSON.stringify(source.duplicates),
    owner_system_user_id: source.ownerSystemUserId ?? null,
    campaign_id: source.campaignId ?? null,
    marketing_list_id: source.marketingListId ?? null,
    field_rules: source.fieldRules ? JSON.stringify(source.fieldRules) : null,
    sync_interval_minutes: source.syncIntervalMinutes,
    enabled: source.enabled ? 1 : 0,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

function toLeadSource(row: Selectable<LeadSourcesTable>): LeadSource {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as SourceKind,
    ...(row.connection_id !== null && { connectionId: row.connection_id }),
    fields: storedFieldsSchema.parse(JSON.parse(row.fields)),
    mappings: storedMappingsSchema.parse(JSON.parse(row.mappings)),
    duplicates: storedDuplicatesSchema.parse(JSON.parse(row.duplicates)),
    ...(row.owner_system_user_id !== null && { ownerSystemUserId: row.owner_system_user_id }),
    ...(row.campaign_id !== null && { campaignId: row.campaign_id }),
    ...(row.marketing_list_id !== null && { marketingListId: row.marketing_list_id }),
    ...(row.field_rules !== null && {
      fieldRules: storedFieldRulesSchema.parse(JSON.parse(row.field_rules)),
    }),
    syncIntervalMinutes: Number(row.sync_interval_minutes),
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
