import { SqlApiTokenRepository } from './api-token-repository.js';
import { SqlAuditLog } from './audit-repository.js';
import { SqlCrmConnectionRepository } from './crm-connection-repository.js';
import { SqlCrmRequestCountRepository } from './crm-request-count-repository.js';
import { SqlCrmSettingsRepository } from './crm-settings-repository.js';
import { SqlCrmTokenCacheRepository } from './crm-token-cache-repository.js';
import { SqlInboundLeadRepository } from './inbound-lead-repository.js';
import { SqlJobQueue } from './job-queue-repository.js';
import { SqlLeadSourceRepository } from './lead-source-repository.js';
import { SqlMatchingStrategyRepository } from './matching-strategy-repository.js';
import { SqlPendingCrmSignInRepository } from './pending-sign-in-repository.js';
import { SqlSyncCursorRepository } from './sync-cursor-repository.js';
import { SqlQuotaUsageRepository } from './quota-usage-repository.js';
import type { SecretKey } from './secrets/secret-key.js';
import { SqlSessionRepository } from './session-repository.js';
import { SqlSourceApiKeyRepository } from './source-api-key-repository.js';
import { systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { SqlSyncLogRepository } from './sync-log-repository.js';
import { SqlUserRepository } from './user-repository.js';

export interface StoreRepositories {
  readonly users: SqlUserRepository;
  readonly sessions: SqlSessionRepository;
  readonly apiTokens: SqlApiTokenRepository;
  readonly sourceApiKeys: SqlSourceApiKeyRepository;
  /** Also the connector's `CrmCredentialSource`. */
  readonly crmConnections: SqlCrmConnectionRepository;
  /** The connector's `TokenCacheStore`. */
  readonly crmTokenCaches: SqlCrmTokenCacheRepository;
  /** The connector's `RequestCounter`. */
  readonly crmRequestCounts: SqlCrmRequestCountRepository;
  readonly crmSettings: SqlCrmSettingsRepository;
  readonly audit: SqlAuditLog;
  readonly leadSources: SqlLeadSourceRepository;
  readonly matchingStrategies: SqlMatchingStrategyRepository;
  /** Capture's way in: leads and their sync jobs, stored together. */
  readonly inboundLeads: SqlInboundLeadRepository;
  /** The sync engine's `JobQueue`. */
  readonly jobQueue: SqlJobQueue;
  readonly syncLog: SqlSyncLogRepository;
  /** The workspace's monthly creation quota. */
  readonly quotaUsage: SqlQuotaUsageRepository;
  /** Delegated CRM sign-ins waiting for Entra ID's redirect. */
  readonly pendingCrmSignIns: SqlPendingCrmSignInRepository;
  /** Where two-way sync's change feeds stopped. */
  readonly syncCursors: SqlSyncCursorRepository;
}

/** Every repository over one open store, sharing its secret key and clock. */
export function createRepositories(
  store: StoreDatabase,
  options: { readonly secretKey: SecretKey; readonly clock?: StoreClock },
): StoreRepositories {
  const clock = options.clock ?? systemClock;
  return {
    users: new SqlUserRepository(store, { clock }),
    sessions: new SqlSessionRepository(store, { clock }),
    apiTokens: new SqlApiTokenRepository(store, { clock }),
    sourceApiKeys: new SqlSourceApiKeyRepository(store, { clock }),
    crmConnections: new SqlCrmConnectionRepository(store, options.secretKey, { clock }),
    crmTokenCaches: new SqlCrmTokenCacheRepository(store, options.secretKey, { clock }),
    crmRequestCounts: new SqlCrmRequestCountRepository(store),
    crmSettings: new SqlCrmSettingsRepository(store, { clock }),
    audit: new SqlAuditLog(store, { clock }),
    leadSources: new SqlLeadSourceRepository(store, { clock }),
    matchingStrategies: new SqlMatchingStrategyRepository(store, { clock }),
    inboundLeads: new SqlInboundLeadRepository(store, { clock }),
    jobQueue: new SqlJobQueue(store, { clock }),
    syncLog: new SqlSyncLogRepository(store, { clock }),
    quotaUsage: new SqlQuotaUsageRepository(store),
    pendingCrmSignIns: new SqlPendingCrmSignInRepository(store, options.secretKey, { clock }),
    syncCursors: new SqlSyncCursorRepository(store, { clock }),
  };
}
