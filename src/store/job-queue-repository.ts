import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { ClaimRequest, Job, JobQueue, JobState, NewJob } from '../domain/index.js';
import { idSchema, instantSchema, parseInput, truncatedText } from './input-validation.js';
import { newId } from './new-id.js';
import { chunksFor } from './statement-chunks.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import type { StoreSchema, SyncJobsTable } from './store-schema.js';
import { inWriteTransaction } from './write-transaction.js';

const MAX_JOBS_PER_CALL = 10_000;
const ownerSchema = z.string().min(1).max(200);
const idsSchema = z.array(idSchema).max(MAX_JOBS_PER_CALL);
// Up to a day: a batch that needs longer should heartbeat.
const leaseMsSchema = z.number().int().min(1).max(86_400_000);
const errorSchema = truncatedText(4000);

const newJobsSchema = z
  .array(
    z.strictObject({
      queue: idSchema,
      kind: z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'expected a snake_case job kind'),
      subjectId: idSchema,
      runAt: instantSchema.optional(),
    }),
  )
  .max(MAX_JOBS_PER_CALL);

const claimSchema = z.strictObject({
  queue: idSchema,
  owner: ownerSchema,
  limit: z.number().int().min(1).max(MAX_JOBS_PER_CALL),
  leaseMs: leaseMsSchema,
});

type JobRow = Selectable<SyncJobsTable>;

/**
 * The sync job queue in `sync_jobs` (DESIGN.md §1). A claim is one UPDATE … RETURNING: on PostgreSQL
 * over rows picked `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint batches without
 * waiting on each other; on SQLite inside an IMMEDIATE transaction, so processes sharing the file take
 * turns. Everything a worker does afterwards names its owner id and holds only while the job is still
 * leased to it: once the reaper has returned it (and someone else may hold it), the old owner's
 * heartbeat, complete, retry and dead letter change nothing. Until the reaper runs, an expired lease
 * still belongs to its owner, since no one else can have claimed the job.
 */
export class SqlJobQueue implements JobQueue {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async enqueue(jobs: readonly NewJob[]): Promise<readonly Job[]> {
    const checked = parseInput(newJobsSchema, jobs, 'jobs');
    const now = isoNow(this.#clock);
    const rows: JobRow[] = checked.map((job) => ({
      id: newId(),
      queue: job.queue,
      kind: job.kind,
      subject_id: job.subjectId,
      state: 'ready',
      attempts: 0,
      run_at: job.runAt ?? now,
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    }));
    if (rows.length > 0)
      await inWriteTransaction(this.#store, async (trx) => {
        for (const chunk of chunksFor(rows, 12)) await trx.insertInto('sync_jobs').values(chunk).execute();
      });
    return rows.map(toJob);
  }

  async claim(request: ClaimRequest): Promise<readonly Job[]> {
    const { queue, owner, limit, leaseMs } = parseInput(claimSchema, request, 'claim');
    const now = this.#clock();
    const nowIso = now.toISOString();
    const claimDue = (db: Kysely<StoreSchema>) =>
      db
        .updateTable('sync_jobs')
        .set((eb) => ({
          state: 'leased',
          lease_owner: owner,
          lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
          attempts: eb('attempts', '+', 1),
          updated_at: nowIso,
        }))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('sync_jobs')
            .select('id')
            .where('queue', '=', queue)
            .where('state', '=', 'ready')
            .where('run_at', '<=', nowIso)
            .orderBy('run_at')
            .orderBy('id')
            .limit(limit)
            .$if(this.#store.dialect === 'postgres', (select) => select.forUpdate().skipLocked()),
        )
        // Re-checked on the row itself: a row picked in the subquery may have moved on since.
        .where('state', '=', 'ready')
        .returningAll()
        .execute();
    const rows =
      this.#store.dialect === 'postgres'
        ? await claimDue(this.#store.db)
        : await inWriteTransaction(this.#store, claimDue);
    // RETURNING promises no order.
    return rows.sort(byRunAtThenId).map(toJob);
  }

  async heartbeat(owner: string, ids: readonly string[], leaseMs: number): Promise<readonly string[]> {
    const input = parseInput(
      z.strictObject({ owner: ownerSchema, ids: idsSchema, leaseMs: leaseMsSchema }),
      { owner, ids, leaseMs },
      'heartbeat',
    );
    const now = this.#clock();
    const expiresAt = new Date(now.getTime() + input.leaseMs).toISOString();
    return this.#ownedUpdate(input.owner, input.ids, {
      lease_expires_at: expiresAt,
      updated_at: now.toISOString(),
    });
  }

  async complete(owner: string, ids: readonly string[]): Promise<readonly string[]> {
    const input = parseInput(
      z.strictObject({ owner: ownerSchema, ids: idsSchema }),
      { owner, ids },
      'completion',
    );
    return this.#ownedUpdate(input.owner, input.ids, {
      state: 'done',
      lease_owner: null,
      lease_expires_at: null,
      updated_at: isoNow(this.#clock),
    });
  }

  async retry(owner: string, id: string, runAt: string, error: string): Promise<void> {
    const input = parseInput(
      z.strictObject({ owner: ownerSchema, id: idSchema, runAt: instantSchema, error: errorSchema }),
      { owner, id, runAt, error },
      'retry',
    );
    await this.#ownedUpdate(input.owner, [input.id], {
      state: 'ready',
      run_at: input.runAt,
      lease_owner: null,
      lease_expires_at: null,
      last_error: input.error,
      updated_at: isoNow(this.#clock),
    });
  }

  async deadLetter(owner: string, id: string, error: string): Promise<void> {
    const input = parseInput(
      z.strictObject({ owner: ownerSchema, id: idSchema, error: errorSchema }),
      { owner, id, error },
      'dead letter',
    );
    await this.#ownedUpdate(input.owner, [input.id], {
      state: 'dead',
      lease_owner: null,
      lease_expires_at: null,
      last_error: input.error,
      updated_at: isoNow(this.#clock),
    });
  }

  async reapExpired(): Promise<number> {
    const now = isoNow(this.#clock);
    const result = await this.#store.db
      .updateTable('sync_jobs')
      .set({ state: 'ready', lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('state', '=', 'leased')
      .where('lease_expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Replay: the dead or done jobs of these subjects go back to `ready` now, in `queue` (the connection
   * the subject syncs to today, which a fix may have changed), with attempts and error cleared. Jobs
   * still ready or leased are left alone.
   */
  async releaseWaiting(queue: string): Promise<number> {
    const checked = parseInput(idSchema, queue, 'queue');
    const now = isoNow(this.#clock);
    const result = await this.#store.db
      .updateTable('sync_jobs')
      .set({ run_at: now, updated_at: now })
      .where('queue', '=', checked)
      .where('state', '=', 'ready')
      .where('run_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async requeue(subjectIds: readonly string[], queue: string): Promise<number> {
    const input = parseInput(
      z.strictObject({ subjectIds: idsSchema, queue: idSchema }),
      { subjectIds, queue },
      'requeue',
    );
    const now = isoNow(this.#clock);
    let requeued = 0;
    await inWriteTransaction(this.#store, async (trx) => {
      for (const chunk of chunksFor([...new Set(input.subjectIds)], 1)) {
        const result = await trx
          .updateTable('sync_jobs')
          .set({
            state: 'ready',
            queue: input.queue,
            attempts: 0,
            run_at: now,
            last_error: null,
            updated_at: now,
          })
          .where('subject_id', 'in', chunk)
          .where('state', 'in', ['dead', 'done'])
          .executeTakeFirst();
        requeued += Number(result.numUpdatedRows);
      }
    });
    return requeued;
  }

  async readyQueues(): Promise<readonly string[]> {
    const rows = await this.#store.db
      .selectFrom('sync_jobs')
      .select('queue')
      .distinct()
      .where('state', '=', 'ready')
      .where('run_at', '<=', isoNow(this.#clock))
      .orderBy('queue')
      .execute();
    return rows.map((row) => row.queue);
  }

  async counts(queue?: string): Promise<Readonly<Record<JobState, number>>> {
    let query = this.#store.db
      .selectFrom('sync_jobs')
      .select((eb) => ['state', eb.fn.countAll<number | string>().as('count')])
      .groupBy('state');
    if (queue !== undefined) query = query.where('queue', '=', parseInput(idSchema, queue, 'queue'));
    const counts: Record<JobState, number> = { ready: 0, leased: 0, done: 0, dead: 0 };
    for (const row of await query.execute()) counts[row.state as JobState] = Number(row.count);
    return counts;
  }

  /** Applies `changes` to those of `ids` still leased to `owner`; returns the ids it changed. */
  async #ownedUpdate(
    owner: string,
    ids: readonly string[],
    changes: Partial<Omit<JobRow, 'id'>>,
  ): Promise<readonly string[]> {
    const changed: string[] = [];
    for (const chunk of chunksFor([...new Set(ids)], 1)) {
      const rows = await this.#store.db
        .updateTable('sync_jobs')
        .set(changes)
        .where('id', 'in', chunk)
        .where('state', '=', 'leased')
        .where('lease_owner', '=', owner)
        .returning('id')
        .execute();
      changed.push(...rows.map((row) => row.id));
    }
    // In the order asked for, each once.
    const kept = new Set(changed);
    return [...new Set(ids)].filter((id) => kept.has(id));
  }
}

function byRunAtThenId(a: JobRow, b: JobRow): number {
  if (a.run_at !== b.run_at) return a.run_at < b.run_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    kind: row.kind,
    subjectId: row.subject_id,
    state: row.state as JobState,
    attempts: Number(row.attempts),
    runAt: row.run_at,
    ...(row.lease_owner !== null && { leaseOwner: row.lease_owner }),
    ...(row.lease_expires_at !== null && { leaseExpiresAt: row.lease_expires_at }),
    ...(row.last_error !== null && { lastError: row.last_error }),
    createdAt: row.created_at,
  };
}
