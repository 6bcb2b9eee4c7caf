import SqliteDatabase from 'better-sqlite3';
import { LeadbridgeError } from '../shared/index.js';
import type { StoreDatabase } from './store-database.js';

export interface WorkerLock {
  release(): void;
}

/**
 * One worker per SQLite store: a second one would only fight the first for SQLite's single writer,
 * so it is refused at start-up (scale-out is PostgreSQL's job). The lock is an exclusive transaction
 * held open on a small file beside the store. SQLite takes it with the operating system's file locks,
 * which die with their process: a worker killed with -9 frees it at once, with no stale lock file to
 * time out (as lock-file libraries must) and no PID to guess about. It works wherever SQLite's own
 * locking works, which the store needs anyway. PostgreSQL and in-memory stores need no lock.
 */
export function acquireWorkerLock(store: StoreDatabase): WorkerLock | undefined {
  if (store.dialect !== 'sqlite' || store.location === ':memory:') return undefined;
  const file = `${store.location}-worker.lock`;
  const lock = new SqliteDatabase(file, { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new LeadbridgeError(
        'worker_already_running',
        `The store is ${store.location}, and SQLite allows one worker: stop the other (\`leadbridge start\` runs one too), or run several on PostgreSQL (DATABASE_URL=postgres://…).`,
      );
    throw error;
  }
  return {
    release() {
      if (lock.open) lock.close();
    },
  };
}
