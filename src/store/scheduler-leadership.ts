import pg from 'pg';
import type { SchedulerLeadership } from '../domain/index.js';
import { tryExclusiveFileLock, type ExclusiveFileLock } from './exclusive-file-lock.js';
import type { StoreDatabase } from './store-database.js';

/**
 * The advisory lock number of the scheduler's lead (`hashtext('leadbridge_scheduler')` would do, but
 * a constant is readable in `pg_locks`). Advisory locks are per database, like the work signal.
 */
export const SCHEDULER_LOCK_KEY = 7_226_110_001;

export interface SchedulerLeadershipOptions {
  /** The PostgreSQL URL, for the connection that holds the lock (a session lock needs its own). */
  readonly databaseUrl?: string | undefined;
  readonly onError?: (error: Error) => void;
}

/**
 * The store's `SchedulerLeadership`: on PostgreSQL a session advisory lock held on a connection of its
 * own, which the server frees when that connection or its process dies; on a SQLite file an exclusive
 * file lock beside it (exclusive-file-lock.ts), which the operating system frees likewise.
 * In-memory stores have one process, which leads.
 */
export function openSchedulerLeadership(
  store: StoreDatabase,
  options: SchedulerLeadershipOptions = {},
): SchedulerLeadership {
  if (store.dialect === 'postgres' && options.databaseUrl)
    return new PostgresLeadership(options.databaseUrl, options.onError);
  if (store.dialect === 'sqlite' && store.location !== ':memory:')
    return new SqliteLeadership(`${store.location}-scheduler.lock`);
  return { tryLead: () => Promise.resolve(true), close: () => Promise.resolve() };
}

class PostgresLeadership implements SchedulerLeadership {
  private client: pg.Client | undefined;
  private leading = false;

  constructor(
    private readonly url: string,
    private readonly onError: ((error: Error) => void) | undefined,
  ) {}

  async tryLead(): Promise<boolean> {
    try {
      // Still leading only if the session that holds the lock still answers: a connection cut off
      // without a word (a partition) must not leave two leaders once the server has dropped it.
      if (this.leading && this.client) {
        await this.client.query('select 1');
        return true;
      }
      this.client ??= await this.connect();
      const result = await this.client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
        SCHEDULER_LOCK_KEY,
      ]);
      this.leading = result.rows[0]?.ok === true;
    } catch (error) {
      this.onError?.(error instanceof Error ? error : new Error(String(error)));
      const client = this.client;
      this.forget();
      void client?.end().catch(() => undefined);
    }
    return this.leading;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.forget();
    // Ending the session releases its advisory locks.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 10_000,
      query_timeout: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // A lost connection has lost the lock with it: lead again only after taking it again.
    const lost = (error: Error) => {
      if (this.client !== client) return;
      this.onError?.(error);
      this.forget();
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('the connection holding the scheduler lead ended')));
    await client.connect();
    return client;
  }

  private forget(): void {
    this.client = undefined;
    this.leading = false;
  }
}

class SqliteLeadership implements SchedulerLeadership {
  private lock: ExclusiveFileLock | undefined;

  constructor(private readonly file: string) {}

  tryLead(): Promise<boolean> {
    try {
      this.lock ??= tryExclusiveFileLock(this.file);
      return Promise.resolve(this.lock !== undefined);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  close(): Promise<void> {
    this.lock?.release();
    this.lock = undefined;
    return Promise.resolve();
  }
}
