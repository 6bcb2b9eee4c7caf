import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import {
  DEFAULT_MATCHING_STRATEGY,
  type MatchingStrategy,
  type MatchingStrategyRepository,
  type StrategyFieldPair,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, parseInput } from './input-validation.js';
import { newId } from './new-id.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { constraintViolation } from './store-errors.js';
import type { MatchingStrategiesTable, StoreSchema } from './store-schema.js';
import { inWriteTransaction } from './write-transaction.js';

const pairsSchema: z.ZodType<readonly StrategyFieldPair[]> = z
  .array(
    z.strictObject({
      sourceField: z.string().trim().min(1).max(200),
      // Dataverse logical names are lower case.
      crmColumn: z
        .string()
        .trim()
        .regex(/^[a-z_][a-z0-9_]{0,99}$/, 'expected a CRM column logical name'),
    }),
  )
  // No pairs would match every lead to some record: "all pairs must match" needs at least one.
  .min(1)
  .max(20);

const nameSchema = z.string().trim().min(1).max(200);
const newStrategySchema = z.strictObject({ name: nameSchema, pairs: pairsSchema });
const changesSchema = z.strictObject({
  name: nameSchema.exactOptional(),
  pairs: pairsSchema.exactOptional(),
});

/**
 * Matching strategies, exactly one active. The default ("Email address") is created on first use,
 * whichever method comes first; every change of the active one runs in a transaction serialised by an
 * advisory lock on PostgreSQL, and a partial unique index on `active` is the last word on both dialects.
 */
export class SqlMatchingStrategyRepository implements MatchingStrategyRepository {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async list(): Promise<readonly MatchingStrategy[]> {
    await this.active();
    const rows = await this.#store.db
      .selectFrom('matching_strategies')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toStrategy);
  }

  async active(): Promise<MatchingStrategy> {
    const row = await activeRow(this.#store.db);
    if (row) return toStrategy(row);
    try {
      return await this.#changingActive(async (trx) => {
        const created = await activeRow(trx);
        if (created) return toStrategy(created);
        const now = isoNow(this.#clock);
        const fresh: Selectable<MatchingStrategiesTable> = {
          id: newId(),
          name: DEFAULT_MATCHING_STRATEGY.name,
          pairs: JSON.stringify(DEFAULT_MATCHING_STRATEGY.pairs),
          active: 1,
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('matching_strategies').values(fresh).execute();
        return toStrategy(fresh);
      });
    } catch (error) {
      // Another process without the lock (or another dialect's race) created it first: use that one.
      if (constraintViolation(error) !== 'unique') throw error;
      const winner = await activeRow(this.#store.db);
      if (!winner) throw error;
      return toStrategy(winner);
    }
  }

  async get(id: string): Promise<MatchingStrategy | undefined> {
    const row = await this.#store.db
      .selectFrom('matching_strategies')
      .selectAll()
      .where('id', '=', parseInput(idSchema, id, 'strategy id'))
      .executeTakeFirst();
    return row && toStrategy(row);
  }

  async create(input: { name: string; pairs: readonly StrategyFieldPair[] }): Promise<MatchingStrategy> {
    const strategy = parseInput(newStrategySchema, input, 'matching strategy');
    // The default comes first, so a new strategy never ends up the only one, inactive.
    await this.active();
    const now = isoNow(this.#clock);
    const row: Selectable<MatchingStrategiesTable> = {
      id: newId(),
      name: strategy.name,
      pairs: JSON.stringify(strategy.pairs),
      active: 0,
      created_at: now,
      updated_at: now,
    };
    await this.#store.db.insertInto('matching_strategies').values(row).execute();
    return toStrategy(row);
  }

  async update(
    id: string,
    input: { name?: string; pairs?: readonly StrategyFieldPair[] },
  ): Promise<MatchingStrategy> {
    const strategyId = parseInput(idSchema, id, 'strategy id');
    const changes = parseInput(changesSchema, input, 'matching strategy changes');
    const row = await this.#store.db
      .updateTable('matching_strategies')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.pairs !== undefined && { pairs: JSON.stringify(changes.pairs) }),
        updated_at: isoNow(this.#clock),
      })
      .where('id', '=', strategyId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeadbridgeError('not_found', `No matching strategy ${strategyId}.`);
    return toStrategy(row);
  }

  async activate(id: string): Promise<MatchingStrategy> {
    const strategyId = parseInput(idSchema, id, 'strategy id');
    return this.#changingActive(async (trx) => {
      const target = await existingRow(trx, strategyId);
      if (target.active === 1) return toStrategy(target);
      const now = isoNow(this.#clock);
      await trx
        .updateTable('matching_strategies')
        .set({ active: 0, updated_at: now })
        .where('active', '=', 1)
        .execute();
      const row = await trx
        .updateTable('matching_strategies')
        .set({ active: 1, updated_at: now })
        .where('id', '=', strategyId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStrategy(row);
    });
  }

  async delete(id: string): Promise<void> {
    const strategyId = parseInput(idSchema, id, 'strategy id');
    await this.#changingActive(async (trx) => {
      const target = await existingRow(trx, strategyId);
      if (target.active === 1)
        throw new LeadbridgeError(
          'strategy_active',
          `Activate another strategy before deleting "${target.name}".`,
        );
      await trx.deleteFrom('matching_strategies').where('id', '=', strategyId).execute();
    });
  }

  /** A write transaction that may change which strategy is active, queued behind the others. */
  #changingActive<T>(work: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
    return inWriteTransaction(this.#store, async (trx) => {
      if (this.#store.dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext('leadbridge.matching_strategies.active'))`.execute(
          trx,
        );
      return work(trx);
    });
  }
}

function activeRow(db: Kysely<StoreSchema>): Promise<Selectable<MatchingStrategiesTable> | undefined> {
  return db.selectFrom('matching_strategies').selectAll().where('active', '=', 1).executeTakeFirst();
}

async function existingRow(
  trx: Kysely<StoreSchema>,
  id: string,
): Promise<Selectable<MatchingStrategiesTable>> {
  const row = await trx.selectFrom('matching_strategies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new LeadbridgeError('not_found', `No matching strategy ${id}.`);
  return row;
}

function toStrategy(row: Selectable<MatchingStrategiesTable>): MatchingStrategy {
  return {
    id: row.id,
    name: row.name,
    pairs: pairsSchema.parse(JSON.parse(row.pairs)),
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
