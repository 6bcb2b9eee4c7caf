import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkSignal } from '../domain/index.js';
import { createDatabase } from './create-database.js';
import type { StoreDatabase } from './store-database.js';
import { PostgresScratchDatabase, postgresAvailableForTests } from './testing/postgres-test-store.js';
import { openWorkSignal, WORK_CHANNEL } from './work-signal.js';

/** Resolves once `count()` reaches `n`, or fails after `ms`. */
async function eventually(count: () => number, n: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (count() < n) {
    if (Date.now() > deadline) throw new Error(`heard ${count()} signal(s), expected ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('work signal on SQLite: within the process only', () => {
  it('calls the listeners of its own process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-signal-'));
    const store = await createDatabase({ dataDir });
    const signal = openWorkSignal(store);
    let heard = 0;
    await signal.listen(() => (heard += 1));
    signal.notify();
    signal.notify();
    expect(heard).toBe(2);
    await signal.close();
    signal.notify();
    expect(heard).toBe(2);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

const available = await postgresAvailableForTests();

describe.runIf(available)('work signal on PostgreSQL: NOTIFY between processes', () => {
  const database = new PostgresScratchDatabase('lb_signal');
  const opened: { store: StoreDatabase; signal: WorkSignal }[] = [];
  /** A store and its signal as one Leadbridge process would open them (own pool, own listener). */
  const openProcess = async (errors: Error[] = []) => {
    const store = await createDatabase({ databaseUrl: database.url, dataDir: '.' });
    const signal = openWorkSignal(store, {
      databaseUrl: database.url,
      onError: (error) => errors.push(error),
    });
    opened.push({ store, signal });
    return signal;
  };

  beforeAll(() => database.create());
  afterAll(async () => {
    for (const { store, signal } of opened) {
      await signal.close();
      await store.close();
    }
    await database.drop();
  });

  it('a signal from one process wakes the listeners of every other', async () => {
    const api = await openProcess();
    const workers = [await openProcess(), await openProcess()];
    const heard = [0, 0];
    await workers[0]!.listen(() => (heard[0]! += 1));
    await workers[1]!.listen(() => (heard[1]! += 1));
    api.notify();
    await eventually(() => Math.min(...heard), 1);
  });

  it('coalesces a burst: a thousand notifies are a handful of NOTIFYs, and the last is never lost', async () => {
    const api = await openProcess();
    const worker = await openProcess();
    let heard = 0;
    await worker.listen(() => (heard += 1));
    for (let i = 0; i < 1000; i++) api.notify();
    // One in flight, and one more for everything that came meanwhile: never fewer, never more.
    await eventually(() => heard, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toBe(2);
    const before = heard;
    api.notify();
    await eventually(() => heard, before + 1);
  });

  it('closing sends the signal still owed, so work stored just before is not left for a poll', async () => {
    const api = await openProcess();
    const worker = await openProcess();
    let heard = 0;
    await worker.listen(() => (heard += 1));
    api.notify();
    api.notify(); // owed: the first is still in flight
    await api.close();
    await eventually(() => heard, 2);
  });

  it('a listener whose connection is killed reconnects, looks once, and hears later signals', async () => {
    const errors: Error[] = [];
    const api = await openProcess();
    const worker = await openProcess(errors);
    let heard = 0;
    await worker.listen(() => (heard += 1));
    const listening = await database.listeners();
    // What a PostgreSQL restart or a failover does to the listening connections (all of them).
    await database.admin(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database.name}' and query ilike 'LISTEN ${WORK_CHANNEL}%'`,
    );
    await eventually(() => errors.length, 1);
    // Listening again, it wakes its worker once: work stored meanwhile was not signalled.
    await eventually(() => heard, 1);
    const deadline = Date.now() + 10_000;
    while ((await database.listeners()) < listening && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const before = heard;
    api.notify();
    await eventually(() => heard, before + 1);
  });
});
