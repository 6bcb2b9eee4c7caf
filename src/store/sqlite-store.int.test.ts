import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './create-database.js';
import { MIGRATIONS, migrateToLatest } from './migrations/migrate-to-latest.js';
import { createSqliteTestStore } from './testing/sqlite-test-store.js';
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

  it('refuses a DATABASE_URL it does not understand', async () => {
    await expect(createDatabase({ databaseUrl: 'mysql://x', dataDir: '.' })).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });
});
