import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from './create-database.js';
import { PostgresTestDatabase, postgresAvailableForTests } from './testing/postgres-test-store.js';
import { describeStoreSuite } from './testing/store-suite.js';

const available = await postgresAvailableForTests();

describe.skipIf(!available)('PostgreSQL', () => {
  const database = new PostgresTestDatabase();
  afterAll(() => database.drop());

  describeStoreSuite('postgres', () => database.createStore());

  it('reports an unreachable server as store_unavailable, password masked', async () => {
    const error: unknown = await createDatabase({
      databaseUrl: 'postgres://leadbridge:hunter2@127.0.0.1:1/none',
      dataDir: '.',
    }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'store_unavailable' });
    expect(String(error)).toContain('127.0.0.1:1');
    expect(String(error)).not.toContain('hunter2');
  });
});
