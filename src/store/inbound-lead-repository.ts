import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import {
  CRM_TABLES,
  type AcceptedLead,
  type CrmTable,
  type InboundLead,
  type InboundLeadRepository,
  type LeadFilter,
  type LeadCrmChange,
  type LeadOutcomeUpdate,
  type LeadPayload,
  type LeadStatus,
  type NewInboundLead,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, parseInput, truncatedText } from './input-validation.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';
import { newId } from './new-id.js';
import { chunksFor } from './statement-chunks.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { toLeadbridgeError } from './store-errors.js';
import type { InboundLeadsTable, StoreSchema, SyncJobsTable } from './store-schema.js';
import { inWriteTransaction } from './write-transaction.js';

const STATUSES = ['pending', 'synced', 'skipped', 'failed'] as const satisfies readonly LeadStatus[];
/** One call may carry a whole CSV import; it is written in chunks within one transaction. */
const MAX_LEADS_PER_CALL = 10_000;

export const SYNC_LEAD_JOB = 'sync_lead';

const payloadSchema: z.ZodType<LeadPayload> = z
  .record(z.string().min(1).max(200), z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()]))
  .refine((payload) => Object.keys(payload).length <= 500, 'at most 500 fields');

const acceptSchema = z.strictObject({
  leads: z
    .array(
      z.strictObject({
        sourceId: idSchema,
        idempotencyKey: z.string().min(1).max(500),
        payload: payloadSchema,
      }),
    )
    .max(MAX_LEADS_PER_CALL),
  connectionId: idSchema,
});

const outcomesSchema = z
  .array(
    z.strictObject({
      id: idSchema,
      status: z.enum(STATUSES),
      crmTable: z.enum(CRM_TABLES).optional(),
      crmRecordId: idSchema.optional(),
      statusReason: truncatedText(4000).optional(),
    }),
  )
  .max(MAX_LEADS_PER_CALL);

const filterSchema = z.strictObject({
  sourceId: idSchema.optional(),
  status: z.enum(STATUSES).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  after: z.string().max(1000).optional(),
});

type LeadRow = Selectable<InboundLeadsTable>;

/**
 * Inbound leads, stored verbatim with their idempotency key. `accept` is the capture path: new leads
 * and their sync jobs in one transaction, known keys answered with the stored id and nothing enqueued.
 * The unique (source_id, idempotency_key) constraint decides under concurrency, on both dialects.
 */
export class SqlInboundLeadRepository implements InboundLeadRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async accept(
    leads: readonly NewInboundLead[],
    job: { readonly connectionId: string },
  ): Promise<readonly AcceptedLead[]> {
    const input = parseInput(acceptSchema, { leads, connectionId: job.connectionId }, 'leads');
    if (input.leads.length === 0) return [];
    const now = isoNow(this.#clock);
    // Within one call, a key seen again is the same lead: it shares the first occurrence's row.
    const firstIndexByKey = new Map<string, number>();
    const rows: LeadRow[] = [];
    const rowIndexOf = input.leads.map((lead) => {
      const key = JSON.stringify([lead.sourceId, lead.idempotencyKey]);
      const known = firstIndexByKey.get(key);
      if (known !== undefined) return known;
      firstIndexByKey.set(key, rows.length);
      rows.push({
        id: newId(),
        source_id: lead.sourceId,
        idempotency_key: lead.idempotencyKey,
        payload: JSON.stringify(lead.payload),
        status: 'pending',
        attempts: 0,
        crm_table: null,
        crm_record_id: null,
        status_reason: null,
        crm_values: null,
        crm_modified_on: null,
        received_at: now,
        updated_at: now,
      });
      return rows.length - 1;
    });

    const alreadyStored = await this.#insertNew(rows, input.connectionId, now);
    const answered = new Set<number>();
    return rowIndexOf.map((index) => {
      const row = rows[index] as LeadRow;
      const storedId = alreadyStored.get(row.id);
      const repeated = answered.has(index);
      answered.add(index);
      return storedId === undefined ? { id: row.id, duplicate: repeated } : { id: storedId, duplicate: true };
    });
  }

  /** Inserts what is new, enqueues a job per new lead; maps each generated id already known to the stored one. */
  async #insertNew(rows: readonly LeadRow[], queue: string, now: string): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    const newLeadIds: string[] = [];
    try {
      await inWriteTransaction(this.#store, async (trx) => {
        for (const chunk of chunksFor([...rows].sort(byIdempotencyKey), 11)) {
          const inserted = await trx
            .insertInto('inbound_leads')
            .values(chunk)
            .onConflict((conflict) => conflict.columns(['source_id', 'idempotency_key']).doNothing())
            .returning('id')
            .execute();
          const insertedIds = new Set(inserted.map((row) => row.id));
          const conflicted = chunk.filter((row) => !insertedIds.has(row.id));
          for (const [generated, existing] of await existingIds(trx, conflicted))
            known.set(generated, existing);
          newLeadIds.push(...insertedIds);
        }
        // Lead ids are UUIDv7 made in arrival order; jobs made in the same order are claimed in it.
        const jobs = newLeadIds.sort().map((leadId) => syncJobRow(leadId, queue, now));
        for (const jobChunk of chunksFor(jobs, 12))
          await trx.insertInto('sync_jobs').values(jobChunk).execute();
      });
    } catch (error) {
      const sources = [...new Set(rows.map((row) => row.source_id))].join(', ');
      throw toLeadbridgeError(error, { foreignKey: `No lead source ${sources}.` });
    }
    return known;
  }

  async get(id: string): Promise<InboundLead | undefined> {
    const row = await this.#store.db
      .selectFrom('inbound_leads')
      .selectAll()
      .where('id', '=', parseInput(idSchema, id, 'lead id'))
      .executeTakeFirst();
    return row && toLead(row);
  }

  /** In the order asked for; unknown ids are left out. */
  async getMany(ids: readonly string[]): Promise<readonly InboundLead[]> {
    const checked = parseInput(z.array(idSchema).max(MAX_LEADS_PER_CALL), ids, 'lead ids');
    const byId = new Map<string, InboundLead>();
    for (const chunk of chunksFor([...new Set(checked)], 1)) {
      const rows = await this.#store.db
        .selectFrom('inbound_leads')
        .selectAll()
        .where('id', 'in', chunk)
        .execute();
      for (const row of rows) byId.set(row.id, toLead(row));
    }
    return checked.flatMap((id) => byId.get(id) ?? []);
  }

  /** Newest first, by (receivedAt, id); `next` is there while more remain. */
  async list(
    filter: LeadFilter,
  ): Promise<{ readonly leads: readonly InboundLead[]; readonly next?: string }> {
    const { sourceId, status, limit, after } = parseInput(filterSchema, filter, 'lead filter');
    let query = this.#store.db.selectFrom('inbound_leads').selectAll();
    if (sourceId !== undefined) query = query.where('source_id', '=', sourceId);
    if (status !== undefined) query = query.where('status', '=', status);
    if (after !== undefined) {
      const position = decodeCursor(after);
      query = query.where((eb) =>
        eb(eb.refTuple('received_at', 'id'), '<', eb.tuple(position.at, position.id)),
      );
    }
    const rows = await query
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      leads: page.map(toLead),
      ...(rows.length > limit && last && { next: encodeCursor({ at: last.received_at, id: last.id }) }),
    };
  }

  /**
   * One attempt's outcome per lead: status and reason replaced, attempts counted, the CRM record kept
   * unless a new one is named. Unknown ids (a source deleted meanwhile) are ignored. A few statements
   * per thousand leads: the updates travel as a VALUES list joined to the table.
   */
  async recordOutcomes(updates: readonly LeadOutcomeUpdate[]): Promise<void> {
    const checked = parseInput(outcomesSchema, updates, 'lead outcomes');
    // The last word on a lead wins; a lead twice in one UPDATE … FROM would be updated once, arbitrarily.
    const byId = new Map(checked.map((update) => [update.id, update]));
    if (byId.size === 0) return;
    const now = isoNow(this.#clock);
    await inWriteTransaction(this.#store, async (trx) => {
      for (const chunk of chunksFor([...byId.values()], 5)) {
        const values = sql.join(
          chunk.map(
            (u) =>
              sql`(${u.id}, ${u.status}, ${u.crmTable ?? null}, ${u.crmRecordId ?? null}, ${u.statusReason ?? null})`,
          ),
        );
        await sql`
          with outcome (id, status, crm_table, crm_record_id, status_reason) as (values ${values})
          update inbound_leads
          set status = outcome.status,
              crm_table = coalesce(outcome.crm_table, inbound_leads.crm_table),
              crm_record_id = coalesce(outcome.crm_record_id, inbound_leads.crm_record_id),
              status_reason = outcome.status_reason,
              attempts = inbound_leads.attempts + 1,
              updated_at = ${now}
          from outcome
          where inbound_leads.id = outcome.id`.execute(trx);
      }
    });
  }

  async findByCrmRecordIds(ids: readonly string[]): Promise<readonly InboundLead[]> {
    const checked = [
      ...new Set(parseInput(z.array(idSchema).max(MAX_LEADS_PER_CALL), ids, 'CRM record ids')),
    ];
    const leads: InboundLead[] = [];
    // Dataverse answers GUIDs in lower case, and ours are generated lower case too.
    for (const chunk of chunksFor(
      checked.map((id) => id.toLowerCase()),
      1,
    )) {
      const rows = await this.#store.db
        .selectFrom('inbound_leads')
        .selectAll()
        .where('crm_record_id', 'in', chunk)
        .execute();
      leads.push(...rows.map(toLead));
    }
    return leads;
  }

  /** What two-way sync learnt: the CRM's values and `modifiedon`, and a reason; the status stays. */
  async recordCrmChanges(changes: readonly LeadCrmChange[]): Promise<void> {
    if (changes.length === 0) return;
    const now = isoNow(this.#clock);
    await inWriteTransaction(this.#store, async (trx) => {
      for (const change of changes) {
        await trx
          .updateTable('inbound_leads')
          .set({
            crm_values: JSON.stringify(change.crmValues),
            crm_modified_on: change.crmModifiedOn,
            status_reason: change.statusReason,
            updated_at: now,
          })
          .where('id', '=', parseInput(idSchema, change.id, 'lead id'))
          .execute();
      }
    });
  }

  async countByStatus(sourceId?: string): Promise<Readonly<Record<LeadStatus, number>>> {
    let query = this.#store.db
      .selectFrom('inbound_leads')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
      .groupBy('status');
    if (sourceId !== undefined)
      query = query.where('source_id', '=', parseInput(idSchema, sourceId, 'source id'));
    const counts: Record<LeadStatus, number> = { pending: 0, synced: 0, skipped: 0, failed: 0 };
    for (const row of await query.execute()) counts[row.status as LeadStatus] = Number(row.count);
    return counts;
  }
}

/**
 * Concurrent accepts that share keys wait on each other's uncommitted rows; inserting in one global
 * order means they always wait in the same direction and can never deadlock.
 */
function byIdempotencyKey(a: LeadRow, b: LeadRow): number {
  if (a.source_id !== b.source_id) return a.source_id < b.source_id ? -1 : 1;
  return a.idempotency_key < b.idempotency_key ? -1 : a.idempotency_key > b.idempotency_key ? 1 : 0;
}

/** For rows the insert skipped: generated id → the id already stored under the same source and key. */
async function existingIds(trx: Kysely<StoreSchema>, rows: readonly LeadRow[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const bySource = new Map<string, LeadRow[]>();
  for (const row of rows) bySource.set(row.source_id, [...(bySource.get(row.source_id) ?? []), row]);
  for (const [sourceId, sourceRows] of bySource) {
    const generatedByKey = new Map(sourceRows.map((row) => [row.idempotency_key, row.id]));
    const stored = await trx
      .selectFrom('inbound_leads')
      .select(['id', 'idempotency_key'])
      .where('source_id', '=', sourceId)
      .where('idempotency_key', 'in', [...generatedByKey.keys()])
      .execute();
    for (const row of stored) {
      const generated = generatedByKey.get(row.idempotency_key);
      if (generated !== undefined) found.set(generated, row.id);
    }
  }
  // Skipped yet not there: only a concurrent delete of the source can do that.
  if (found.size !== rows.length)
    throw new LeadbridgeError(
      'conflict',
      'The lead source changed while its leads were being stored; send them again.',
    );
  return found;
}

function syncJobRow(leadId: string, queue: string, now: string): Selectable<SyncJobsTable> {
  return {
    id: newId(),
    queue,
    kind: SYNC_LEAD_JOB,
    subject_id: leadId,
    state: 'ready',
    attempts: 0,
    run_at: now,
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

function toLead(row: LeadRow): InboundLead {
  return {
    id: row.id,
    sourceId: row.source_id,
    idempotencyKey: row.idempotency_key,
    payload: JSON.parse(row.payload) as LeadPayload,
    status: row.status as LeadStatus,
    attempts: Number(row.attempts),
    ...(row.crm_table !== null && { crmTable: row.crm_table as CrmTable }),
    ...(row.crm_record_id !== null && { crmRecordId: row.crm_record_id }),
    ...(row.status_reason !== null && { statusReason: row.status_reason }),
    ...(row.crm_values !== null && { crmValues: JSON.parse(row.crm_values) as Record<string, unknown> }),
    ...(row.crm_modified_on !== null && { crmModifiedOn: row.crm_modified_on }),
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
  };
}
