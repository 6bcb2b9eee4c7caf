import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './create-database.js';
import { createRepositories } from './create-repositories.js';
import { MIGRATIONS, migrateToLatest } from './migrations/migrate-to-latest.js';
import { SecretKey } from './secrets/secret-key.js';
import { createSqliteTestStore } from './testing/sqlite-test-store.js';
import { leadSourceInput } from './testing/store-fixture.js';
import { describeStoreSuite } from './testing/store-suite.js';

describeStoreSuite('sqlite', createSqliteTestStore);

describe('SQLite specifics', () => {
  it('opens leadbridge.db in the data directory in WAL mode, with foreign keys on', async () => {
    const { store, dataDir, dispose } = await createSqliteTestStore();
    try {
      expect(store.location).toBe(join(dataDir, 'leadbridge.db'));
      await migrateToLatest(store);
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
      expect(existsSync(join(dataDir, 'leadbridge.db-wal'))).toBe(true);
    } finally {
      await dispose();
    }
  });

  it('accepts :memory: for tests', async () => {
    const store = await createDatabase({ databaseUrl: ':memory:', dataDir: '/nonexistent' });
    try {
      expect((await migrateToLatest(store)).applied).toHaveLength(Object.keys(MIGRATIONS).length);
    } finally {
      await store.close();
    }
  });

  it('several processes on one file store each lead once and never share a job', async () => {
    const { store, dataDir, dispose } = await createSqliteTestStore();
    try {
      await migrateToLatest(store);
      const repos = createRepositories(store, { secretKey: SecretKey.generate() });
      const source = await repos.leadSources.create(leadSourceInput());
      const worker = fileURLToPath(new URL('./testing/sqlite-worker-process.ts', import.meta.url));
      const run = promisify(execFile);
      const outputs = await Promise.all(
        ['p1', 'p2'].map((owner) =>
          run(process.execPath, ['--import', 'tsx', worker, dataDir, source.id, owner, '100'], {
            maxBuffer: 64 * 1024 * 1024,
          }),
        ),
      );
      const claimed = outputs.flatMap((output) => {
        const line = output.stdout.split('\n').find((text) => text.startsWith('claimed: '));
        return JSON.parse(line?.slice('claimed: '.length) ?? 'null') as string[];
      });
      expect(claimed).toHaveLength(100);
      expect(new Set(claimed).size).toBe(100);
      expect(await repos.inboundLeads.countByStatus()).toMatchObject({ pending: 100 });
      expect(await repos.jobQueue.counts()).toEqual({ ready: 0, leased: 100, done: 0, dead: 0 });
    } finally {
      await dispose();
    }
  }, 90_000);

  it('refuses a DATABASE_URL it does not understand', async () => {
    await expect(createDatabase({ databaseUrl: 'mysql://x', dataDir: '.' })).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });
});
