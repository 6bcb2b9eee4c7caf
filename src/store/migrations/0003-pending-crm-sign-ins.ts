import type { Kysely, Migration } from 'kysely';

/**
 * Delegated CRM sign-ins waiting for Entra ID's redirect: keyed by the hash of the OAuth `state`, with
 * the PKCE code verifier sealed. They die with their connection or user, and after ten minutes.
 */
export const pendingCrmSignIns: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('pending_crm_sign_ins')
      .addColumn('state_hash', 'text', (col) => col.primaryKey())
      .addColumn('connection_id', 'text', (col) =>
        col.notNull().references('crm_connections.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('redirect_uri', 'text', (col) => col.notNull())
      .addColumn('code_verifier_sealed', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('pending_crm_sign_ins_expires_at_index')
      .on('pending_crm_sign_ins')
      .column('expires_at')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('pending_crm_sign_ins').execute();
  },
};
