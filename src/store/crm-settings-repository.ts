import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { CrmSettings, CrmSettingsInput, CrmSettingsRepository } from '../domain/index.js';
import { idSchema, parseInput } from './input-validation.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { CrmSettingsTable, IntegerFlag } from './store-schema.js';

const settingsSchema = z.strictObject({
  allowLeadCreation: z.boolean(),
  allowContactCreation: z.boolean(),
  // Dataverse choice values are 32-bit integers.
  leadSourceCode: z.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
});

const toFlag = (value: boolean): IntegerFlag => (value ? 1 : 0);

export class SqlCrmSettingsRepository implements CrmSettingsRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async get(connectionId: string): Promise<CrmSettings | undefined> {
    const row = await this.#store.db
      .selectFrom('crm_settings')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
    return row && toSettings(row);
  }

  async upsert(connectionId: string, settings: CrmSettingsInput): Promise<CrmSettings> {
    const id = parseInput(idSchema, connectionId, 'connection id');
    const checked = parseInput(settingsSchema, settings, 'CRM settings');
    const row: Selectable<CrmSettingsTable> = {
      connection_id: id,
      allow_lead_creation: toFlag(checked.allowLeadCreation),
      allow_contact_creation: toFlag(checked.allowContactCreation),
      lead_source_code: checked.leadSourceCode ?? null,
      updated_at: isoNow(this.#clock),
    };
    await translateStoreErrors(
      () =>
        this.#store.db
          .insertInto('crm_settings')
          .values(row)
          .onConflict((conflict) =>
            conflict.column('connection_id').doUpdateSet({
              allow_lead_creation: row.allow_lead_creation,
              allow_contact_creation: row.allow_contact_creation,
              lead_source_code: row.lead_source_code,
              updated_at: row.updated_at,
            }),
          )
          .execute(),
      { foreignKey: `No CRM connection ${id}.` },
    );
    return toSettings(row);
  }
}

function toSettings(row: Selectable<CrmSettingsTable>): CrmSettings {
  return {
    connectionId: row.connection_id,
    allowLeadCreation: row.allow_lead_creation === 1,
    allowContactCreation: row.allow_contact_creation === 1,
    ...(row.lead_source_code !== null && { leadSourceCode: row.lead_source_code }),
    updatedAt: row.updated_at,
  };
}
