import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Lead sources and matching strategies, the inbound leads they deliver, the sync job queue, the sync
 * log and the workspace's monthly quota. Schema builder only, as in 0001, so one set of statements runs
 * on SQLite and PostgreSQL; column types follow the rules in `store-schema.ts`.
 */
export const leadCaptureAndSync: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('lead_sources')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      // A disconnected CRM connection leaves its sources on the primary one, not pointing nowhere.
      .addColumn('connection_id', 'text', (col) => col.references('crm_connections.id').onDelete('set null'))
      .addColumn('fields', 'text', (col) => col.notNull())
      .addColumn('mappings', 'text', (col) => col.notNull())
      .addColumn('duplicates', 'text', (col) => col.notNull())
      .addColumn('owner_system_user_id', 'text')
      .addColumn('campaign_id', 'text')
      .addColumn('marketing_list_id', 'text')
      .addColumn('sync_interval_minutes', 'integer', (col) => col.notNull())
      .addColumn('enabled', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint(
        'lead_sources_kind_check',
        sql`kind in ('api', 'form', 'csv', 'partner', 'linkedin', 'workspace')`,
      )
      .addCheckConstraint('lead_sources_interval_check', sql`sync_interval_minutes > 0`)
      .addCheckConstraint('lead_sources_enabled_check', sql`enabled in (0, 1)`)
      .execute();
    await db.schema
      .createIndex('lead_sources_connection_id_index')
      .on('lead_sources')
      .column('connection_id')
      .execute();

    // 0001 promised the foreign key on source_id. Adding one to an existing table needs a rebuild on
    // SQLite; the table can simply be made again, since no source existed for a key to belong to.
    await db.schema.dropTable('source_api_keys').execute();
    await db.schema
      .createTable('source_api_keys')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('source_id', 'text', (col) =>
        col.notNull().references('lead_sources.id').onDelete('cascade'),
      )
      .addColumn('key_hash', 'text', (col) => col.notNull().unique())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createIndex('source_api_keys_source_id_index')
      .on('source_api_keys')
      .column('source_id')
      .execute();

    await db.schema
      .createTable('matching_strategies')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('pairs', 'text', (col) => col.notNull())
      .addColumn('active', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint('matching_strategies_active_check', sql`active in (0, 1)`)
      .execute();
    // At most one active strategy, whatever the repository does (partial indexes: both dialects).
    await db.schema
      .createIndex('matching_strategies_one_active')
      .on('matching_strategies')
      .column('active')
      .unique()
      .where(sql.ref('active'), '=', 1)
      .execute();

    await db.schema
      .createTable('inbound_leads')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('source_id', 'text', (col) =>
        col.notNull().references('lead_sources.id').onDelete('cascade'),
      )
      .addColumn('idempotency_key', 'text', (col) => col.notNull())
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull())
      .addColumn('crm_table', 'text')
      .addColumn('crm_record_id', 'text')
      .addColumn('status_reason', 'text')
      .addColumn('received_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      // A named constraint, not an index: `on conflict (source_id, idempotency_key)` targets it.
      .addUniqueConstraint('inbound_leads_idempotency_key_unique', ['source_id', 'idempotency_key'])
      .addCheckConstraint(
        'inbound_leads_status_check',
        sql`status in ('pending', 'synced', 'skipped', 'failed')`,
      )
      .addCheckConstraint('inbound_leads_crm_table_check', sql`crm_table in ('lead', 'contact', 'account')`)
      .addCheckConstraint('inbound_leads_attempts_check', sql`attempts >= 0`)
      .execute();
    // Lists page newest first by (received_at, id); each filter combination has an index in that order.
    await db.schema
      .createIndex('inbound_leads_source_status_index')
      .on('inbound_leads')
      .columns(['source_id', 'status', 'received_at', 'id'])
      .execute();
    await db.schema
      .createIndex('inbound_leads_status_index')
      .on('inbound_leads')
      .columns(['status', 'received_at', 'id'])
      .execute();
    await db.schema
      .createIndex('inbound_leads_source_received_index')
      .on('inbound_leads')
      .columns(['source_id', 'received_at', 'id'])
      .execute();
    await db.schema
      .createIndex('inbound_leads_received_index')
      .on('inbound_leads')
      .columns(['received_at', 'id'])
      .execute();

    await db.schema
      .createTable('sync_jobs')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('queue', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('subject_id', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull())
      .addColumn('run_at', 'text', (col) => col.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint('sync_jobs_state_check', sql`state in ('ready', 'leased', 'done', 'dead')`)
      .addCheckConstraint('sync_jobs_attempts_check', sql`attempts >= 0`)
      // A leased job always says whose it is and until when; no other state holds a lease.
      .addCheckConstraint(
        'sync_jobs_lease_check',
        sql`(state = 'leased') = (lease_owner is not null and lease_expires_at is not null)`,
      )
      .execute();
    await db.schema
      .createIndex('sync_jobs_claim_index')
      .on('sync_jobs')
      .columns(['queue', 'state', 'run_at'])
      .execute();
    await db.schema.createIndex('sync_jobs_subject_id_index').on('sync_jobs').column('subject_id').execute();
    // Partial indexes keep the reaper's and the poller's scans to live jobs, however many are done.
    await db.schema
      .createIndex('sync_jobs_leases_index')
      .on('sync_jobs')
      .column('lease_expires_at')
      .where(sql.ref('state'), '=', 'leased')
      .execute();
    await db.schema
      .createIndex('sync_jobs_due_index')
      .on('sync_jobs')
      .columns(['run_at', 'queue'])
      .where(sql.ref('state'), '=', 'ready')
      .execute();

    await db.schema
      .createTable('sync_log')
      .addColumn('id', 'text', (col) => col.primaryKey())
      // No foreign key on lead_id: the log may outlive a lead; a source's deletion takes its log along.
      .addColumn('lead_id', 'text', (col) => col.notNull())
      .addColumn('source_id', 'text', (col) =>
        col.notNull().references('lead_sources.id').onDelete('cascade'),
      )
      .addColumn('connection_id', 'text', (col) => col.notNull())
      .addColumn('attempt', 'integer', (col) => col.notNull())
      .addColumn('outcome', 'text', (col) => col.notNull())
      .addColumn('crm_table', 'text')
      .addColumn('record_id', 'text')
      .addColumn('decision', 'text')
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('payload', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('retryable', 'integer')
      .addColumn('dry_run', 'integer', (col) => col.notNull())
      .addColumn('search_text', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .addCheckConstraint(
        'sync_log_outcome_check',
        sql`outcome in ('created', 'updated', 'skipped', 'failed')`,
      )
      .addCheckConstraint('sync_log_crm_table_check', sql`crm_table in ('lead', 'contact', 'account')`)
      .addCheckConstraint('sync_log_retryable_check', sql`retryable in (0, 1)`)
      .addCheckConstraint('sync_log_dry_run_check', sql`dry_run in (0, 1)`)
      .execute();
    await db.schema.createIndex('sync_log_at_index').on('sync_log').columns(['at', 'id']).execute();
    await db.schema
      .createIndex('sync_log_source_at_index')
      .on('sync_log')
      .columns(['source_id', 'at', 'id'])
      .execute();
    await db.schema
      .createIndex('sync_log_lead_index')
      .on('sync_log')
      .columns(['lead_id', 'at', 'id'])
      .execute();
    await db.schema
      .createIndex('sync_log_outcome_at_index')
      .on('sync_log')
      .columns(['outcome', 'at', 'id'])
      .execute();

    await db.schema
      .createTable('quota_usage')
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('month', 'text', (col) => col.notNull())
      .addColumn('count', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('quota_usage_pkey', ['user_id', 'month'])
      .addCheckConstraint('quota_usage_count_check', sql`count >= 0`)
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['quota_usage', 'sync_log', 'sync_jobs', 'inbound_leads', 'matching_strategies'])
      await db.schema.dropTable(table).execute();
    await db.schema.dropTable('source_api_keys').execute();
    await db.schema
      .createTable('source_api_keys')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('source_id', 'text', (col) => col.notNull())
      .addColumn('key_hash', 'text', (col) => col.notNull().unique())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createIndex('source_api_keys_source_id_index')
      .on('source_api_keys')
      .column('source_id')
      .execute();
    await db.schema.dropTable('lead_sources').execute();
  },
};
