import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeApiTokenSuite } from './api-token-suite.js';
import { describeAuditSuite } from './audit-suite.js';
import { describeCrmConnectionSuite } from './crm-connection-suite.js';
import { describeCrmCredentialsSuite } from './crm-credentials-suite.js';
import { describeCrmRequestCountSuite } from './crm-request-count-suite.js';
import { describeCrmSettingsSuite } from './crm-settings-suite.js';
import { describeCrmTokenCacheSuite } from './crm-token-cache-suite.js';
import { describeInboundLeadSuite } from './inbound-lead-suite.js';
import { describeJobQueueSuite } from './job-queue-suite.js';
import { describeLeadSourceSuite } from './lead-source-suite.js';
import { describeMatchingStrategySuite } from './matching-strategy-suite.js';
import { describeMigrationsSuite } from './migrations-suite.js';
import { describeQuotaUsageSuite } from './quota-usage-suite.js';
import { describeSecretRotationSuite } from './secret-rotation-suite.js';
import { describeSessionSuite } from './session-suite.js';
import { useStoreFixture } from './store-fixture.js';
import { describeSyncLogSuite } from './sync-log-suite.js';
import type { TestStoreFactory } from './test-store.js';
import { describeUserSuite } from './user-suite.js';

/**
 * The repository suite every dialect must pass. `factory` gives a fresh, empty store per test; each
 * suite migrates it, and asserts on results read back (often straight from the tables).
 */
export function describeStoreSuite(dialect: string, factory: TestStoreFactory): void {
  describeMigrationsSuite(dialect, factory);
  describeUserSuite(dialect, factory);
  describeSessionSuite(dialect, factory);
  describeApiTokenSuite(dialect, factory);
  describeCrmConnectionSuite(dialect, factory);
  describeCrmCredentialsSuite(dialect, factory);
  describeCrmTokenCacheSuite(dialect, factory);
  describeCrmRequestCountSuite(dialect, factory);
  describeCrmSettingsSuite(dialect, factory);
  describeAuditSuite(dialect, factory);
  describeSecretRotationSuite(dialect, factory);
  if (dialect === 'postgres') describePostgresIsolation(factory);

  describeLeadSourceSuite(dialect, factory);
  describeMatchingStrategySuite(dialect, factory);
  describeInboundLeadSuite(dialect, factory);
  describeJobQueueSuite(dialect, factory);
  describeSyncLogSuite(dialect, factory);
  describeQuotaUsageSuite(dialect, factory);
}

/** Test files run in parallel against one PostgreSQL database, so each store must get a schema of its own. */
function describePostgresIsolation(factory: TestStoreFactory): void {
  describe('store on postgres', () => {
    const f = useStoreFixture(factory);

    it('runs against its own schema (isolated from parallel test files)', async () => {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(f.store.db);
      expect(rows[0]?.schema).toMatch(/^lb_test_[0-9a-f]{12}$/);
    });
  });
}
