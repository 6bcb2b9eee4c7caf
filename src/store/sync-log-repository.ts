import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import {
  CRM_TABLES,
  type CrmTable,
  type NewSyncLogEntry,
  type SyncLogEntry,
  type SyncLogFilter,
  type SyncLogRepository,
  type SyncOutcome,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, instantSchema, parseInput, truncatedText } from './input-validation.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';
import { newId } from './new-id.js';
import { chunksFor } from './statement-chunks.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { toLeadbridgeError } from './store-errors.js';
import type { SyncLogTable } from './store-schema.js';
import { inWriteTransaction } from './write-transaction.js';

const OUTCOMES = ['created', 'updated', 'skipped', 'failed'] as const satisfies readonly SyncOutcome[];
const MAX_ENTRIES_PER_CALL = 10_000;
const COLUMNS_PER_ROW = 17;

const entriesSchema = z
  .array(
    z.strictObject({
      leadId: idSchema,
      sourceId: idSchema,
      connectionId: idSchema,
      attempt: z.number().int().min(0).max(1_000_000),
      outcome: z.enum(OUTCOMES),
      table: z.enum(CRM_TABLES).optional(),
      recordId: idSchema.optional(),
      decision: z.string().min(1).max(100).optional(),
      // Texts from elsewhere (a CRM's error message) are shortened rather than lose the entry.
      reason: truncatedText(4000).pipe(z.string().min(1)),
      payload: z.record(z.string(), z.unknown()).optional(),
      errorCode: z.string().min(1).max(100).optional(),
      errorMessage: truncatedText(4000).optional(),
      retryable: z.boolean().optional(),
      dryRun: z.boolean(),
    }),
  )
  .max(MAX_ENTRIES_PER_CALL);

const filterSchema = z.strictObject({
  sourceId: idSchema.optional(),
  leadId: idSchema.optional(),
  outcome: z.enum(OUTCOMES).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  text: z.string().trim().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  after: z.string().max(1000).optional(),
});

type LogRow = Selectable<SyncLogTable>;

/** LIKE's wildcards and its escape character, taken literally. */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * The sync log: one row per lead per attempt, newest first when read, paged by (at, id). The text
 * filter matches a lower-cased copy of reason, error and payload kept beside them (`search_text`), so
 * it folds case the same way on both dialects, non-ASCII letters included.
 */
export class SqlSyncLogRepository implements SyncLogRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async append(entries: readonly NewSyncLogEntry[]): Promise<void> {
    const checked = parseInput(entriesSchema, entries, 'sync log entries');
    if (checked.length === 0) return;
    const at = isoNow(this.#clock);
    const rows = checked.map((entry): LogRow => {
      const payload = entry.payload === undefined ? null : payloadJson(entry.payload);
      return {
        id: newId(),
        lead_id: entry.leadId,
        source_id: entry.sourceId,
        connection_id: entry.connectionId,
        attempt: entry.attempt,
        outcome: entry.outcome,
        crm_table: entry.table ?? null,
        record_id: entry.recordId ?? null,
        decision: entry.decision ?? null,
        reason: entry.reason,
        payload,
        error_code: entry.errorCode ?? null,
        error_message: entry.errorMessage ?? null,
        retryable: entry.retryable === undefined ? null : entry.retryable ? 1 : 0,
        dry_run: entry.dryRun ? 1 : 0,
        search_text: [entry.reason, entry.errorCode, entry.errorMessage, payload]
          .filter((part) => part !== undefined && part !== null)
          .join('\n')
          .toLowerCase(),
        at,
      };
    });
    try {
      await inWriteTransaction(this.#store, async (trx) => {
        for (const chunk of chunksFor(rows, COLUMNS_PER_ROW))
          await trx.insertInto('sync_log').values(chunk).execute();
      });
    } catch (error) {
      const sources = [...new Set(rows.map((row) => row.source_id))].join(', ');
      throw toLeadbridgeError(error, { foreignKey: `No lead source ${sources}.` });
    }
  }

  async list(
    filter: SyncLogFilter,
  ): Promise<{ readonly entries: readonly SyncLogEntry[]; readonly next?: string }> {
    const checked = parseInput(filterSchema, filter, 'sync log filter');
    let query = this.#store.db.selectFrom('sync_log').selectAll();
    if (checked.sourceId !== undefined) query = query.where('source_id', '=', checked.sourceId);
    if (checked.leadId !== undefined) query = query.where('lead_id', '=', checked.leadId);
    if (checked.outcome !== undefined) query = query.where('outcome', '=', checked.outcome);
    if (checked.from !== undefined) query = query.where('at', '>=', checked.from);
    if (checked.to !== undefined) query = query.where('at', '<', checked.to);
    if (checked.text !== undefined) {
      const pattern = `%${escapeLike(checked.text.toLowerCase())}%`;
      query = query.where(sql<boolean>`search_text like ${pattern} escape ${sql.lit('\\')}`);
    }
    if (checked.after !== undefined) {
      const position = decodeCursor(checked.after);
      query = query.where((eb) => eb(eb.refTuple('at', 'id'), '<', eb.tuple(position.at, position.id)));
    }
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(checked.limit + 1)
      .execute();
    const page = rows.slice(0, checked.limit);
    const last = page.at(-1);
    return {
      entries: page.map(toEntry),
      ...(rows.length > checked.limit && last && { next: encodeCursor({ at: last.at, id: last.id }) }),
    };
  }

  async get(id: string): Promise<SyncLogEntry | undefined> {
    const row = await this.#store.db
      .selectFrom('sync_log')
      .selectAll()
      .where('id', '=', parseInput(idSchema, id, 'sync log entry id'))
      .executeTakeFirst();
    return row && toEntry(row);
  }
}

function payloadJson(payload: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(payload);
  } catch (error) {
    throw new LeadbridgeError(
      'invalid_body',
      `Invalid sync log entry: the payload is not JSON (${String(error)}).`,
    );
  }
}

function toEntry(row: LogRow): SyncLogEntry {
  return {
    id: row.id,
    leadId: row.lead_id,
    sourceId: row.source_id,
    connectionId: row.connection_id,
    attempt: Number(row.attempt),
    outcome: row.outcome as SyncOutcome,
    ...(row.crm_table !== null && { table: row.crm_table as CrmTable }),
    ...(row.record_id !== null && { recordId: row.record_id }),
    ...(row.decision !== null && { decision: row.decision }),
    reason: row.reason,
    ...(row.payload !== null && { payload: JSON.parse(row.payload) as Record<string, unknown> }),
    ...(row.error_code !== null && { errorCode: row.error_code }),
    ...(row.error_message !== null && { errorMessage: row.error_message }),
    ...(row.retryable !== null && { retryable: row.retryable === 1 }),
    dryRun: row.dry_run === 1,
    at: row.at,
  };
}
