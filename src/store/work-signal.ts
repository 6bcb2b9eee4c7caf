import { sql } from 'kysely';
import pg from 'pg';
import type { WorkSignal } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import type { StoreDatabase } from './store-database.js';

/** The PostgreSQL channel every Leadbridge process of one database listens on. */
export const WORK_CHANNEL = 'leadbridge_work';

/** Reconnect delays of a listener whose connection dropped: 0.5 s doubling to 30 s. */
const RECONNECT_MS = { first: 500, max: 30_000 };

export interface WorkSignalOptions {
  /** The PostgreSQL URL, for the listener's own connection (LISTEN needs one held open). */
  readonly databaseUrl?: string | undefined;
  /** A dropped or refused listening connection; it is retried in the background. */
  readonly onError?: (error: Error) => void;
}

/**
 * The store's `WorkSignal`. PostgreSQL carries it across processes with NOTIFY/LISTEN, which needs no
 * broker beside the database that is already the queue. SQLite cannot signal another process, and
 * only one worker may use a SQLite file anyway (see single-worker-lock.ts): there the signal stays in
 * the process, and a worker in another process finds new work at its next poll.
 */
export function openWorkSignal(store: StoreDatabase, options: WorkSignalOptions = {}): WorkSignal {
  if (store.dialect === 'postgres' && options.databaseUrl)
    return new PostgresWorkSignal(store, options.databaseUrl, options.onError);
  return new InProcessWorkSignal();
}

class InProcessWorkSignal implements WorkSignal {
  private readonly listeners: (() => void)[] = [];

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  listen(listener: () => void): Promise<void> {
    this.listeners.push(listener);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.listeners.length = 0;
    return Promise.resolve();
  }
}

class PostgresWorkSignal implements WorkSignal {
  private sending: Promise<void> | undefined;
  private again = false;
  private client: pg.Client | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private reconnectMs = RECONNECT_MS.first;
  private closed = false;

  constructor(
    private readonly store: StoreDatabase,
    private readonly url: string,
    private readonly onError: ((error: Error) => void) | undefined,
  ) {}

  /**
   * Captures arrive thousands a second; one NOTIFY in flight at a time is enough, since a listener
   * only needs to know that there is work, not how much. Calls meanwhile become one more NOTIFY.
   */
  notify(): void {
    if (this.closed) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.send().finally(() => {
      this.sending = undefined;
      // Once closing, close() sends what is owed.
      if (this.again && !this.closed) {
        this.again = false;
        this.notify();
      }
    });
  }

  private send(): Promise<void> {
    return sql`select pg_notify(${WORK_CHANNEL}, '')`.execute(this.store.db).then(
      () => undefined,
      (error: unknown) => this.onError?.(asError(error)),
    );
  }

  async listen(listener: () => void): Promise<void> {
    try {
      await this.connect(listener);
    } catch (error) {
      throw new LeadbridgeError(
        'store_unavailable',
        `Cannot LISTEN for new work on PostgreSQL: ${asError(error).message}`,
      );
    }
  }

  /** Sends what is still owed (work stored just before closing must not wait for a poll), then stops. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnect);
    await this.sending;
    if (this.again) {
      this.again = false;
      await this.send();
    }
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  /**
   * Connects and LISTENs; on any drop, reconnects with backoff, and once listening again wakes the
   * listener once (work stored while nobody listened was not signalled). TCP keep-alive makes a
   * connection that silently died (a failover, a NAT timeout) end, so it is noticed and replaced.
   */
  private async connect(listener: () => void, reconnecting = false): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    let dropped = false;
    const drop = (error: Error) => {
      if (dropped || this.closed) return;
      dropped = true;
      this.onError?.(error);
      void client.end().catch(() => undefined);
      this.client = undefined;
      const delayMs = this.reconnectMs;
      this.reconnectMs = Math.min(delayMs * 2, RECONNECT_MS.max);
      this.reconnect = setTimeout(() => {
        void this.connect(listener, true).catch(() => undefined);
      }, delayMs);
      this.reconnect.unref();
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('the listening connection to PostgreSQL ended')));
    client.on('notification', (message) => {
      if (message.channel === WORK_CHANNEL) listener();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WORK_CHANNEL}`);
    } catch (error) {
      drop(asError(error));
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectMs = RECONNECT_MS.first;
    if (reconnecting) listener();
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
