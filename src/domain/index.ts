export type { ApiToken, ApiTokenRepository, IssuedApiToken, NewApiToken } from './api-token.js';
export type { AuditEvent, AuditLog, NewAuditEvent } from './audit-event.js';
export type { CrmAuthKind, CrmConnection, CrmConnectionStatus, CrmCredentials } from './crm-connection.js';
export type {
  CrmConnectionChanges,
  CrmConnectionRepository,
  CrmConnectionStatusChange,
  CrmCredentialSource,
  NewCrmConnection,
} from './crm-connection-repository.js';
export type { RequestCounter, TokenCacheKey, TokenCacheStore } from './crm-ports.js';
export type { CrmSettings, CrmSettingsInput, CrmSettingsRepository } from './crm-settings.js';
export type { NewSession, Session, SessionRepository, ValidSession } from './session.js';
export type { IssuedSourceApiKey, SourceApiKey, SourceApiKeyRepository } from './source-api-key.js';
export {
  USER_ROLES,
  type NewUser,
  type User,
  type UserRepository,
  type UserRole,
  type UserSignInRecord,
} from './user.js';
export type { CrmChoice, CrmGateway, CrmIdentity } from './crm-gateway.js';
export {
  CRM_TABLES,
  type ChoiceOption,
  type ColumnMetadata,
  type CrmTable,
  type RequiredLevel,
  type TableMetadata,
} from './crm-metadata.js';
export type {
  CrmChangedRecords,
  CrmRecord,
  CrmRecordGateway,
  CrmRecordQuery,
  CrmRecordWrite,
  CrmWriteError,
  CrmWriteOutcome,
} from './crm-records.js';
export {
  DEFAULT_DUPLICATE_POLICY,
  DEFAULT_MATCHING_STRATEGY,
  type CreateAction,
  type DuplicateAction,
  type DuplicateCheck,
  type DuplicateHandling,
  type DuplicateKeys,
  type DuplicatePolicy,
  type MatchingStrategy,
  type MatchingStrategyRepository,
  type StrategyFieldPair,
} from './duplicate-policy.js';
export type {
  ColumnMapping,
  FieldMapping,
  MappingTransform,
  MappingValue,
  SourceMappings,
} from './field-mapping.js';
export type {
  AcceptedLead,
  InboundLead,
  InboundLeadRepository,
  LeadCrmChange,
  LeadFilter,
  LeadOutcomeUpdate,
  LeadPayload,
  LeadStatus,
  NewInboundLead,
} from './inbound-lead.js';
export type { ClaimRequest, Job, JobQueue, JobState, NewJob } from './job-queue.js';
export {
  SOURCE_KINDS,
  type FieldRule,
  type LeadSource,
  type LeadSourceChanges,
  type LeadSourceRepository,
  type NewLeadSource,
  type SourceField,
  type SourceFieldType,
  type SourceKind,
} from './lead-source.js';
export type {
  NewSyncLogEntry,
  SyncLogEntry,
  SyncLogFilter,
  SyncLogRepository,
  SyncOutcome,
} from './sync-log.js';
export type { NewPendingCrmSignIn, PendingCrmSignIn, PendingCrmSignInRepository } from './pending-sign-in.js';
export {
  MONTHLY_CREATION_QUOTA,
  quotaMonthOf,
  type QuotaReservation,
  type QuotaUsageRepository,
} from './quota.js';
export type { SyncCursorRepository } from './sync-cursor.js';
export type { WorkSignal } from './work-signal.js';
export type { SchedulerLeadership } from './scheduler-leadership.js';
