import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { LeadbridgeError } from '../../shared/index.js';
import type { StoreDatabase } from '../store-database.js';
import { identityAndCrmConnections } from './0001-identity-and-crm-connections.js';
import { leadCaptureAndSync } from './0002-lead-capture-and-sync.js';
import { pendingCrmSignIns } from './0003-pending-crm-sign-ins.js';
import { twoWaySync } from './0004-two-way-sync.js';

/**
 * Every migration, in order, listed in code: they ship inside dist/ with no file globbing. Names are
 * recorded in `kysely_migration`; never rename or reorder one that has shipped.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_identity_and_crm_connections': identityAndCrmConnections,
  '0002_lead_capture_and_sync': leadCaptureAndSync,
  '0003_pending_crm_sign_ins': pendingCrmSignIns,
  '0004_two_way_sync': twoWaySync,
};

const inCodeProvider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

export interface MigrationReport {
  /** Names applied by this call, oldest first; empty when the store was already up to date. */
  readonly applied: readonly string[];
}

/** Brings the store's schema up to date (`leadbridge migrate`, and start-up). Safe to run repeatedly. */
export async function migrateToLatest(store: StoreDatabase): Promise<MigrationReport> {
  const migrator = new Migrator({
    db: store.db,
    provider: inCodeProvider,
    // Kysely looks for its bookkeeping tables in every schema unless told which one; with several
    // schemas in one database (one per tenant or test run), name the one in use.
    ...(store.dialect === 'postgres' && { migrationTableSchema: await currentSchema(store) }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    throw new LeadbridgeError(
      'store_unavailable',
      `Migrating the ${store.dialect} store at ${store.location} failed${failed ? ` in ${failed}` : ''}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  return { applied: results.filter((result) => result.status === 'Success').map((r) => r.migrationName) };
}

async function currentSchema(store: StoreDatabase): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  const schema = rows[0]?.schema;
  if (!schema)
    throw new LeadbridgeError('store_unavailable', 'PostgreSQL has no current schema (search_path).');
  return schema;
}
