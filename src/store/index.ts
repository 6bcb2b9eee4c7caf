export { API_TOKEN_PREFIX, SqlApiTokenRepository } from './api-token-repository.js';
export { SqlAuditLog } from './audit-repository.js';
export { createDatabase, DEFAULT_SQLITE_FILE, type DatabaseConfig } from './create-database.js';
export { createRepositories, type StoreRepositories } from './create-repositories.js';
export { SqlCrmConnectionRepository } from './crm-connection-repository.js';
export { SqlCrmRequestCountRepository } from './crm-request-count-repository.js';
export { SqlCrmSettingsRepository } from './crm-settings-repository.js';
export { SqlCrmTokenCacheRepository } from './crm-token-cache-repository.js';
export { SqlInboundLeadRepository, SYNC_LEAD_JOB } from './inbound-lead-repository.js';
export { SqlJobQueue } from './job-queue-repository.js';
export { SqlLeadSourceRepository } from './lead-source-repository.js';
export type { LeadSourceUpdate } from './lead-source-validation.js';
export { SqlMatchingStrategyRepository } from './matching-strategy-repository.js';
export { MIGRATIONS, migrateToLatest, type MigrationReport } from './migrations/migrate-to-latest.js';
export { hashToken } from '../shared/opaque-token.js';
export {
  countSecretsByKeyId,
  rotateSecrets,
  verifySecretKey,
  type RotationReport,
} from './secrets/rotate-secrets.js';
export {
  loadSecretKey,
  SECRET_KEY_FILE,
  writeSecretKeyFile,
  type LoadedSecretKey,
  type SecretKeySettings,
} from './secrets/secret-key-file.js';
export { SecretKey } from './secrets/secret-key.js';
export { SqlQuotaUsageRepository } from './quota-usage-repository.js';
export { SqlSessionRepository } from './session-repository.js';
export { SOURCE_API_KEY_PREFIX, SqlSourceApiKeyRepository } from './source-api-key-repository.js';
export { systemClock, type StoreClock } from './store-clock.js';
export type { StoreDatabase, StoreDialect } from './store-database.js';
export type { StoreSchema } from './store-schema.js';
export { SqlSyncLogRepository } from './sync-log-repository.js';
export { SqlUserRepository } from './user-repository.js';
export { openWorkSignal, WORK_CHANNEL, type WorkSignalOptions } from './work-signal.js';
export { acquireWorkerLock, type WorkerLock } from './single-worker-lock.js';
export {
  openSchedulerLeadership,
  SCHEDULER_LOCK_KEY,
  type SchedulerLeadershipOptions,
} from './scheduler-leadership.js';
