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
