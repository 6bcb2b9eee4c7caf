import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeadbridgeError } from '../shared/index.js';
import { createDatabase } from './create-database.js';
import { acquireWorkerLock } from './single-worker-lock.js';
import type { StoreDatabase } from './store-database.js';

describe('one worker per SQLite store', () => {
  let dataDir: string;
  let store: StoreDatabase | undefined;
  afterEach(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const open = async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-worker-lock-'));
    store = await createDatabase({ dataDir });
    return store;
  };

  it('refuses a second worker with a clear error, and admits one again once the first let go', async () => {
    const sqlite = await open();
    const first = acquireWorkerLock(sqlite);
    expect(first).toBeDefined();
    let error: unknown;
    try {
      acquireWorkerLock(sqlite)?.release();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LeadbridgeError);
    expect((error as LeadbridgeError).code).toBe('worker_already_running');
    expect((error as LeadbridgeError).message).toContain(sqlite.location);
    expect((error as LeadbridgeError).message).toMatch(/PostgreSQL/);
    first?.release();
    acquireWorkerLock(sqlite)?.release();
  });

  it('a worker killed with -9 leaves no stale lock behind', async () => {
    const sqlite = await open();
    // Another process takes the lock the way the store does, then is killed without a chance to clean up.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const d = new D(process.argv[1], { timeout: 0 });
         d.exec('BEGIN EXCLUSIVE'); console.log('held'); setInterval(() => {}, 1000);`,
        `${sqlite.location}-worker.lock`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(holder.stdout!, 'data');
      expect(() => acquireWorkerLock(sqlite)).toThrow(/Another Leadbridge worker/);
    } finally {
      holder.kill('SIGKILL');
    }
    await once(holder, 'exit');
    const lock = acquireWorkerLock(sqlite);
    expect(lock).toBeDefined();
    lock?.release();
  });

  it('PostgreSQL and in-memory stores need no lock', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-worker-lock-'));
    store = await createDatabase({ dataDir, databaseUrl: ':memory:' });
    expect(acquireWorkerLock(store)).toBeUndefined();
    expect(acquireWorkerLock({ ...store, dialect: 'postgres' })).toBeUndefined();
  });
});
