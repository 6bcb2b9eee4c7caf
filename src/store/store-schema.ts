/**
 * The tables as Kysely sees them. Column types are chosen to behave the same on SQLite and PostgreSQL:
 * - ids are UUID strings in `text` columns (a `uuid` column would reject a malformed id on PostgreSQL
 *   only, where SQLite would answer "not found");
 * - instants are ISO-8601 UTC text from `Date#toISOString()` (always 24 characters), so comparing
 *   and sorting them as text is chronological under any collation, and no driver turns them into Dates;
 * - booleans are `integer` 0/1 with a CHECK on both dialects (better-sqlite3 cannot bind booleans),
 *   mapped to `boolean` in the repositories;
 * - JSON is `text`, parsed in the repository;
 * - secrets are sealed strings (`secrets/secret-key.ts`), never plaintext.
 */
export interface StoreSchema {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  source_api_keys: SourceApiKeysTable;
  crm_connections: CrmConnectionsTable;
  crm_token_caches: CrmTokenCachesTable;
  crm_settings: CrmSettingsTable;
  crm_request_counts: CrmRequestCountsTable;
  audit_events: AuditEventsTable;
  lead_sources: LeadSourcesTable;
  matching_strategies: MatchingStrategiesTable;
  inbound_leads: InboundLeadsTable;
  sync_jobs: SyncJobsTable;
  sync_log: SyncLogTable;
  quota_usage: QuotaUsageTable;
  pending_crm_sign_ins: PendingCrmSignInsTable;
  sync_cursors: SyncCursorsTable;
}

/** 0 or 1: see the note on booleans above. */
export type IntegerFlag = 0 | 1;

export interface UsersTable {
  id: string;
  email: string;
  /** Trimmed and lower-cased in code (Unicode-aware, unlike SQLite's `lower()`); unique. */
  email_normalized: string;
  display_name: string;
  password_hash: string;
  role: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie token. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  name: string;
  role: string;
  user_id: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SourceApiKeysTable {
  id: string;
  source_id: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CrmConnectionsTable {
  id: string;
  name: string;
  environment_url: string;
  tenant_id: string;
  client_id: string;
  auth_kind: string;
  certificate_thumbprint: string | null;
  organization_id: string | null;
  status: string;
  status_reason: string | null;
  throttled_until: string | null;
  is_primary: IntegerFlag;
  revoked_at: string | null;
  /** Sealed JSON of `CrmCredentials`; null once revoked. */
  credentials_sealed: string | null;
  created_at: string;
  updated_at: string;
}

export interface CrmTokenCachesTable {
  id: string;
  connection_id: string;
  /** Null for the application (client credentials) cache. */
  user_id: string | null;
  /** Sealed MSAL serialized cache (holds refresh tokens). */
  cache_sealed: string;
  account_home_id: string | null;
  updated_at: string;
}

export interface CrmSettingsTable {
  connection_id: string;
  allow_lead_creation: IntegerFlag;
  allow_contact_creation: IntegerFlag;
  lead_source_code: number | null;
  updated_at: string;
}

export interface CrmRequestCountsTable {
  connection_id: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  count: number;
}

export interface AuditEventsTable {
  /** UUIDv7, so ids sort by creation time. */
  id: string;
  at: string;
  actor_user_id: string | null;
  action: string;
  subject: string | null;
  /** JSON object as text. */
  details: string;
}

export interface PendingCrmSignInsTable {
  /** SHA-256 (hex) of the OAuth `state`. */
  state_hash: string;
  connection_id: string;
  user_id: string;
  redirect_uri: string;
  /** Sealed PKCE code verifier. */
  code_verifier_sealed: string;
  created_at: string;
  expires_at: string;
}

export interface LeadSourcesTable {
  id: string;
  name: string;
  kind: string;
  connection_id: string | null;
  /** JSON array of `SourceField`. */
  fields: string;
  /** JSON object: `SourceMappings`. */
  mappings: string;
  /** JSON object: `DuplicateHandling`. */
  duplicates: string;
  owner_system_user_id: string | null;
  campaign_id: string | null;
  marketing_list_id: string | null;
  /** JSON object: column → `FieldRule` (two-way sync); null means CRM wins everywhere. */
  field_rules: string | null;
  sync_interval_minutes: number;
  enabled: IntegerFlag;
  created_at: string;
  updated_at: string;
}

export interface MatchingStrategiesTable {
  id: string;
  name: string;
  /** JSON array of `StrategyFieldPair`. */
  pairs: string;
  /** At most one row has 1 (partial unique index). */
  active: IntegerFlag;
  created_at: string;
  updated_at: string;
}

export interface InboundLeadsTable {
  id: string;
  source_id: string;
  /** Unique per source. */
  idempotency_key: string;
  /** JSON object: `LeadPayload`, as the source sent it. */
  payload: string;
  status: string;
  attempts: number;
  crm_table: string | null;
  crm_record_id: string | null;
  status_reason: string | null;
  /** JSON object: the record's mapped columns as the CRM last reported them. */
  crm_values: string | null;
  crm_modified_on: string | null;
  received_at: string;
  updated_at: string;
}

export interface SyncCursorsTable {
  connection_id: string;
  table_name: string;
  cursor: string;
  updated_at: string;
}

export interface SyncJobsTable {
  id: string;
  /** The CRM connection id. */
  queue: string;
  kind: string;
  subject_id: string;
  state: string;
  attempts: number;
  run_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface SyncLogTable {
  /** UUIDv7. */
  id: string;
  lead_id: string;
  source_id: string;
  connection_id: string;
  attempt: number;
  outcome: string;
  crm_table: string | null;
  record_id: string | null;
  decision: string | null;
  reason: string;
  /** JSON object, or null. */
  payload: string | null;
  error_code: string | null;
  error_message: string | null;
  retryable: IntegerFlag | null;
  dry_run: IntegerFlag;
  /**
   * Reason, error and payload lower-cased in code, for the text filter: case-insensitive the same way
   * on both dialects (SQLite's `lower()` and LIKE fold ASCII only; PostgreSQL's depend on the locale).
   */
  search_text: string;
  at: string;
}

export interface QuotaUsageTable {
  user_id: string;
  /** UTC month, YYYY-MM. */
  month: string;
  count: number;
}
