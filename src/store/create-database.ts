import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { LeadbridgeError } from '../shared/index.js';
import type { StoreDatabase } from './store-database.js';
import type { StoreSchema } from './store-schema.js';

export interface DatabaseConfig {
  /**
   * `postgres://…` or `postgresql://…` for PostgreSQL; `sqlite:PATH`, `file:PATH` or `:memory:` for
   * SQLite; absent for the default SQLite file `leadbridge.db` in `dataDir`.
   */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  /** Most PostgreSQL connections this process opens (default 10). */
  readonly maxConnections?: number | undefined;
  /** Errors of idle PostgreSQL connections (a server restart, say); without it they are dropped. */
  readonly onBackgroundError?: ((error: Error) => void) | undefined;
}

export const DEFAULT_SQLITE_FILE = 'leadbridge.db';

/** Opens the store. PostgreSQL is reached once before returning, so a bad URL fails here, clearly. */
export async function createDatabase(config: DatabaseConfig): Promise<StoreDatabase> {
  const url = config.databaseUrl?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, config);
  if (!url) return openSqlite(join(config.dataDir, DEFAULT_SQLITE_FILE), true);
  if (url === ':memory:') return openSqlite(':memory:', false);
  const sqlitePath = /^(sqlite|file):(.+)$/i.exec(url)?.[2];
  if (sqlitePath) return openSqlite(sqlitePath === ':memory:' ? ':memory:' : resolve(sqlitePath), true);
  throw new LeadbridgeError(
    'invalid_config',
    'DATABASE_URL must start with postgres:// or postgresql:// (PostgreSQL) or sqlite: (a SQLite file).',
  );
}

function openSqlite(file: string, createDirectory: boolean): StoreDatabase {
  if (createDirectory && file !== ':memory:') {
    const directory = resolve(file, '..');
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw new LeadbridgeError('data_dir_unwritable', `${directory}: ${messageOf(error)}`);
    }
  }
  let database: SqliteDatabase.Database;
  try {
    database = new SqliteDatabase(file);
  } catch (error) {
    throw new LeadbridgeError('data_dir_unwritable', `${file}: ${messageOf(error)}`);
  }
  // WAL lets readers proceed while one writer commits. FULL syncs the WAL at every commit: a 202 from
  // the capture API promises the leads are durable, and under NORMAL a power cut may take back the
  // last commits (https://www.sqlite.org/pragma.html#pragma_synchronous). Group commit makes that one
  // sync per batch of requests, which costs nothing measurable (bench/capture-api.bench.ts).
  // Foreign keys are off by default in SQLite, on in PostgreSQL.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

async function openPostgres(url: string, config: DatabaseConfig): Promise<StoreDatabase> {
  const location = maskPassword(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: config.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client's error is emitted on the pool; unhandled, it would end the process.
  pool.on('error', (error) => config.onBackgroundError?.(error));
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new LeadbridgeError('store_unavailable', `PostgreSQL at ${location}: ${messageOf(error)}`);
  }
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  return { db, dialect: 'postgres', location, close: () => db.destroy() };
}

function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
