import type { Kysely, Migration } from 'kysely';

/**
 * Two-way sync: what Dynamics 365 last reported about each lead's record, the per-column rules of a
 * source, and where each connection's change feed stopped.
 */
export const twoWaySync: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('inbound_leads').addColumn('crm_values', 'text').execute();
    await db.schema.alterTable('inbound_leads').addColumn('crm_modified_on', 'text').execute();
    await db.schema
      .createIndex('inbound_leads_crm_record_index')
      .on('inbound_leads')
      .column('crm_record_id')
      .execute();
    await db.schema.alterTable('lead_sources').addColumn('field_rules', 'text').execute();
    await db.schema
      .createTable('sync_cursors')
      .addColumn('connection_id', 'text', (col) =>
        col.notNull().references('crm_connections.id').onDelete('cascade'),
      )
      .addColumn('table_name', 'text', (col) => col.notNull())
      .addColumn('cursor', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('sync_cursors_pk', ['connection_id', 'table_name'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sync_cursors').execute();
    await db.schema.alterTable('lead_sources').dropColumn('field_rules').execute();
    await db.schema.dropIndex('inbound_leads_crm_record_index').execute();
    await db.schema.alterTable('inbound_leads').dropColumn('crm_modified_on').execute();
    await db.schema.alterTable('inbound_leads').dropColumn('crm_values').execute();
  },
};
