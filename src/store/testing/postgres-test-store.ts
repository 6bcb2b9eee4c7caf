import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../create-database.js';
import type { TestStore } from './test-store.js';

/** Where the PostgreSQL half of the store suite runs; override with LEADBRIDGE_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL =
  process.env['LEADBRIDGE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const hostOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
};

/**
 * Whether the PostgreSQL half can run. Locally, an unreachable server skips it with one line saying so;
 * in CI (`CI=true`) it must be there, so this throws and the run fails.
 */
export async function postgresAvailableForTests(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env['CI'] === 'true')
      throw new Error(
        `PostgreSQL not reachable at ${hostOf(TEST_POSTGRES_URL)} — CI requires it (${reason})`,
      );
    console.warn(
      `PostgreSQL not reachable at ${hostOf(TEST_POSTGRES_URL)} — skipping the PostgreSQL half of the store suite`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function runAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test file, and a fresh schema in it for each test (`search_path` set
 * through the URL, as an operator could). A database per file, not a schema per test in a shared one:
 * Kysely's migrator introspects every schema of the database, and fails if another test file drops
 * one at that moment. Tests within a file run one after another, so their schemas never race.
 */
export class PostgresTestDatabase {
  readonly name = `lb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  #created: Promise<void> | undefined;

  #url(schema?: string): string {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${this.name}`;
    if (schema) url.searchParams.set('options', `-c search_path=${schema}`);
    return url.toString();
  }

  async createStore(): Promise<TestStore> {
    this.#created ??= runAdmin(TEST_POSTGRES_URL, `create database ${this.name}`);
    await this.#created;
    const schema = `lb_test_${randomBytes(6).toString('hex')}`;
    await runAdmin(this.#url(), `create schema ${schema}`);
    const databaseUrl = this.#url(schema);
    const store = await createDatabase({ databaseUrl, dataDir: '.', maxConnections: 10 });
    return {
      store,
      openAnother: () => createDatabase({ databaseUrl, dataDir: '.', maxConnections: 10 }),
      dispose: async () => {
        await store.close();
        await runAdmin(this.#url(), `drop schema ${schema} cascade`);
      },
    };
  }

  /** Drops the database; every store must be disposed first. */
  async drop(): Promise<void> {
    if (this.#created) await runAdmin(TEST_POSTGRES_URL, `drop database if exists ${this.name}`);
  }
}

/**
 * A whole database for one test file whose subject spans connections or processes (NOTIFY, several
 * Leadbridge processes), so nothing else on the server hears or sees it.
 */
export class PostgresScratchDatabase {
  readonly name: string;
  readonly url: string;

  constructor(prefix: string) {
    this.name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${this.name}`;
    this.url = url.toString();
  }

  create(): Promise<void> {
    return runAdmin(TEST_POSTGRES_URL, `create database ${this.name}`);
  }

  drop(): Promise<void> {
    return runAdmin(TEST_POSTGRES_URL, `drop database if exists ${this.name} with (force)`);
  }

  /** Runs one statement on the server as the admin (e.g. `pg_terminate_backend`). */
  admin(statement: string): Promise<void> {
    return runAdmin(TEST_POSTGRES_URL, statement);
  }

  /** Connections of this database that LISTEN: Leadbridge workers up and waiting for work. */
  async listeners(): Promise<number> {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      const result = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and query ilike 'LISTEN%'`,
        [this.name],
      );
      return result.rows[0]?.n ?? 0;
    } finally {
      await client.end();
    }
  }
}
