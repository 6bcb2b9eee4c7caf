import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Users, sessions and tokens, CRM connections with their token caches, settings and request counts,
 * and the audit log. Written with the schema builder only, so the same statements run on SQLite and
 * PostgreSQL; see `store-schema.ts` for why each column has the type it has.
 */
export const identityAndCrmConnections: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('email_normalized', 'text', (col) => col.notNull().unique())
      .addColumn('display_name', 'text', (col) => col.notNull())
      .addColumn('password_hash', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('disabled_at', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint('users_role_check', sql`role in ('admin', 'lead_gen_admin', 'salesperson')`)
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('last_seen_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('sessions_user_id_index').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires_at_index').on('sessions').column('expires_at').execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .addCheckConstraint('api_tokens_role_check', sql`role in ('admin', 'lead_gen_admin', 'salesperson')`)
      .execute();
    await db.schema.createIndex('api_tokens_user_id_index').on('api_tokens').column('user_id').execute();

    // Capture sources arrive in a later issue, which adds the foreign key on source_id.
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

    await db.schema
      .createTable('crm_connections')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('environment_url', 'text', (col) => col.notNull())
      .addColumn('tenant_id', 'text', (col) => col.notNull())
      .addColumn('client_id', 'text', (col) => col.notNull())
      .addColumn('auth_kind', 'text', (col) => col.notNull())
      .addColumn('certificate_thumbprint', 'text')
      .addColumn('organization_id', 'text')
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('throttled_until', 'text')
      .addColumn('is_primary', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('revoked_at', 'text')
      .addColumn('credentials_sealed', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint(
        'crm_connections_auth_kind_check',
        sql`auth_kind in ('client_secret', 'certificate')`,
      )
      .addCheckConstraint(
        'crm_connections_status_check',
        sql`status in ('active', 'needs_reauthorization', 'throttled', 'unreachable', 'untested')`,
      )
      .addCheckConstraint('crm_connections_is_primary_check', sql`is_primary in (0, 1)`)
      .execute();
    // At most one primary connection, whatever the repository does (partial indexes: both dialects).
    await db.schema
      .createIndex('crm_connections_one_primary')
      .on('crm_connections')
      .column('is_primary')
      .unique()
      .where(sql.ref('is_primary'), '=', 1)
      .execute();
    // One live connection per environment; revoked ones stay for history.
    await db.schema
      .createIndex('crm_connections_live_environment')
      .on('crm_connections')
      .column('environment_url')
      .unique()
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();

    await db.schema
      .createTable('crm_token_caches')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('connection_id', 'text', (col) =>
        col.notNull().references('crm_connections.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
      .addColumn('cache_sealed', 'text', (col) => col.notNull())
      .addColumn('account_home_id', 'text')
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    // NULLs are distinct in unique indexes on both dialects, so the application cache (no user) gets
    // its own partial index; upserts name the matching predicate.
    await db.schema
      .createIndex('crm_token_caches_user_cache')
      .on('crm_token_caches')
      .columns(['connection_id', 'user_id'])
      .unique()
      .where(sql.ref('user_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('crm_token_caches_application_cache')
      .on('crm_token_caches')
      .column('connection_id')
      .unique()
      .where(sql.ref('user_id'), 'is', null)
      .execute();

    await db.schema
      .createTable('crm_settings')
      .addColumn('connection_id', 'text', (col) =>
        col.primaryKey().references('crm_connections.id').onDelete('cascade'),
      )
      .addColumn('allow_lead_creation', 'integer', (col) => col.notNull())
      .addColumn('allow_contact_creation', 'integer', (col) => col.notNull())
      .addColumn('lead_source_code', 'integer')
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint('crm_settings_allow_lead_creation_check', sql`allow_lead_creation in (0, 1)`)
      .addCheckConstraint('crm_settings_allow_contact_creation_check', sql`allow_contact_creation in (0, 1)`)
      .execute();

    await db.schema
      .createTable('crm_request_counts')
      .addColumn('connection_id', 'text', (col) =>
        col.notNull().references('crm_connections.id').onDelete('cascade'),
      )
      .addColumn('day', 'text', (col) => col.notNull())
      .addColumn('count', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('crm_request_counts_pkey', ['connection_id', 'day'])
      .addCheckConstraint('crm_request_counts_count_check', sql`count >= 0`)
      .execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('at', 'text', (col) => col.notNull())
      .addColumn('actor_user_id', 'text', (col) => col.references('users.id').onDelete('set null'))
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('subject', 'text')
      .addColumn('details', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('audit_events_at_index').on('audit_events').columns(['at', 'id']).execute();
    await db.schema
      .createIndex('audit_events_subject_index')
      .on('audit_events')
      .columns(['subject', 'at'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'audit_events',
      'crm_request_counts',
      'crm_settings',
      'crm_token_caches',
      'crm_connections',
      'source_api_keys',
      'api_tokens',
      'sessions',
      'users',
    ])
      await db.schema.dropTable(table).execute();
  },
};
