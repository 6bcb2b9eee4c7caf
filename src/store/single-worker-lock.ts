import { LeadbridgeError } from '../shared/index.js';
import { tryExclusiveFileLock, type ExclusiveFileLock } from './exclusive-file-lock.js';
import type { StoreDatabase } from './store-database.js';

export type WorkerLock = ExclusiveFileLock;

/**
 * One worker per SQLite store: a second one would only fight the first for SQLite's single writer,
 * so it is refused at start-up (scale-out is PostgreSQL's job). The lock is an exclusive file lock
 * beside the store, freed when its process dies. PostgreSQL and in-memory stores need no lock.
 */
export function acquireWorkerLock(store: StoreDatabase): WorkerLock | undefined {
  if (store.dialect !== 'sqlite' || store.location === ':memory:') return undefined;
  const lock = tryExclusiveFileLock(`${store.location}-worker.lock`);
  if (!lock)
    throw new LeadbridgeError(
      'worker_already_running',
      `The store is ${store.location}, and SQLite allows one worker: stop the other (\`leadbridge start\` runs one too), or run several on PostgreSQL (DATABASE_URL=postgres://…).`,
    );
  return lock;
}
