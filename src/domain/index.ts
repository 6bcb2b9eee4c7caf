export type { CrmAuthKind, CrmConnection, CrmConnectionStatus, CrmCredentials } from './crm-connection.js';
export type { RequestCounter, TokenCacheKey, TokenCacheStore } from './crm-ports.js';
