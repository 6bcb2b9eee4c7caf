import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../create-database.js';
import type { TestStore } from './test-store.js';

/** A SQLite store in a new temporary data directory (the default file, WAL mode), removed afterwards. */
export async function createSqliteTestStore(): Promise<TestStore & { readonly dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-store-'));
  const store = await createDatabase({ dataDir });
  return {
    store,
    dataDir,
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
