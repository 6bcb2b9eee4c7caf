import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulerLeadership } from '../domain/index.js';
import { createDatabase } from './create-database.js';
import { openSchedulerLeadership, SCHEDULER_LOCK_KEY } from './scheduler-leadership.js';
import type { StoreDatabase } from './store-database.js';
import { PostgresScratchDatabase, postgresAvailableForTests } from './testing/postgres-test-store.js';

describe('scheduler leadership on a SQLite file', () => {
  it('one leads, the other stands by, and takes over once the leader lets go', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-leader-'));
    const store = await createDatabase({ dataDir });
    const first = openSchedulerLeadership(store);
    const second = openSchedulerLeadership(store);
    try {
      expect(await first.tryLead()).toBe(true);
      expect(await second.tryLead()).toBe(false);
      expect(await first.tryLead()).toBe(true);
      await first.close();
      expect(await second.tryLead()).toBe(true);
      expect(await first.tryLead()).toBe(false);
    } finally {
      await first.close();
      await second.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const available = await postgresAvailableForTests();

describe.runIf(available)('scheduler leadership on PostgreSQL', () => {
  const database = new PostgresScratchDatabase('lb_leader');
  const stores: StoreDatabase[] = [];
  const leaderships: SchedulerLeadership[] = [];
  const open = async (errors: Error[] = []) => {
    const store = await createDatabase({ databaseUrl: database.url, dataDir: '.' });
    stores.push(store);
    const leadership = openSchedulerLeadership(store, {
      databaseUrl: database.url,
      onError: (error) => errors.push(error),
    });
    leaderships.push(leadership);
    return leadership;
  };
  /** Sessions holding the scheduler's advisory lock. */
  const holders = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ pid: number }>(
        `select pid from pg_locks where locktype = 'advisory' and granted
           and ((classid::bigint << 32) | objid::bigint) = $1`,
        [SCHEDULER_LOCK_KEY],
      );
      return result.rows.map((row) => row.pid);
    } finally {
      await client.end();
    }
  };

  beforeAll(() => database.create());
  afterAll(async () => {
    for (const leadership of leaderships) await leadership.close();
    for (const store of stores) await store.close();
    await database.drop();
  });

  it('exactly one of three schedulers leads; closing it hands the lead on', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    expect([await a.tryLead(), await b.tryLead(), await c.tryLead()]).toEqual([true, false, false]);
    expect(await holders()).toHaveLength(1);
    expect(await a.tryLead()).toBe(true);
    await a.close();
    expect([await b.tryLead(), await c.tryLead()]).toEqual([true, false]);
    expect(await holders()).toHaveLength(1);
    await b.close();
    await c.close();
  });

  it('a leader whose connection dies loses the lead, and another takes it', async () => {
    const errors: Error[] = [];
    const leader = await open(errors);
    const standby = await open();
    expect(await leader.tryLead()).toBe(true);
    expect(await standby.tryLead()).toBe(false);
    const [pid] = await holders();
    // What a crash of the leader's process, or of its connection, does: the server frees the lock.
    await database.admin(`select pg_terminate_backend(${pid})`);
    const deadline = Date.now() + 10_000;
    while ((await holders()).length > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await standby.tryLead()).toBe(true);
    // The old leader notices on its next tick and stands by rather than believing it still leads.
    expect(await leader.tryLead()).toBe(false);
    expect(errors.length).toBeGreaterThan(0);
    expect(await holders()).toHaveLength(1);
  });
});
