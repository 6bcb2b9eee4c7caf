/**
 * The Dynamics 365 (Dataverse) connector: what the rest of the app may use. Everything else in this
 * folder is private to it.
 */
export {
  DynamicsConnector,
  // The name the app's composition root knows it by (it implements the CrmGateway port).
  DynamicsConnector as DynamicsGateway,
  type DynamicsConnectorOptions,
  type DynamicsConnectorOptions as DynamicsGatewayOptions,
  type SignInStart,
} from './dynamics-connector.js';
export {
  DataverseClient,
  type BatchItemOutcome,
  type BatchPartResult,
  type CollectionPage,
  type DataverseClientOptions,
  type DataverseRecord,
  type PageOptions,
  type RetrieveAllOptions,
  type WhoAmI,
  type WriteOptions,
} from './dataverse-client.js';
export { DynamicsRecordGateway, type RecordGatewayOptions } from './record-gateway.js';
export type { LookupOptions } from './record-lookup.js';
export { testConnection, type ConnectionTestResult } from './connection-test.js';
export {
  connectionStatusFrom,
  isConnectionLevelError,
  type ConnectionOutcome,
  type ConnectionStatusReport,
} from './connection-status.js';
export {
  ApplicationTokenSource,
  DelegatedTokenSource,
  applicationScopes,
  delegatedScopes,
  type AccessTokenSource,
  type EntraAppRegistration,
  type EntraClientOptions,
} from './entra-token-provider.js';
export {
  dataverseCloudOf,
  normalizeEnvironmentUrl,
  type DataverseCloud,
  type EnvironmentUrlOptions,
} from './environment-url.js';
export {
  escapeODataString,
  odataIn,
  odataString,
  recordPath,
  type QueryOptions,
  type RecordKey,
} from './odata-syntax.js';
export type { BatchChangeSet, BatchItem, BatchMethod, BatchOperation } from './batch/batch-request.js';
export {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  isRetryable,
  planRetry,
  type AttemptOutcome,
  type RetryPlan,
  type RetryPolicy,
} from './retry-decision.js';
export { DataverseError, type DataverseErrorDetails } from './dataverse-error.js';
export { mapDataverseFailure, mapTransportFailure } from './dataverse-error-mapping.js';
export { mapEntraFailure } from './entra-error-mapping.js';
export {
  ConcurrencyBudget,
  ConcurrencyBudgetRegistry,
  DEFAULT_CONCURRENCY_LIMIT,
  processConcurrencyBudgets,
} from './concurrency-budget.js';
export type { RequestUsage } from './request-meter.js';
export type {
  ChoiceOption,
  ColumnMetadata,
  DataverseTableMetadata,
  RequiredLevel,
  TableMetadata,
} from './table-metadata.js';
export { createDispatcher, type DispatcherOptions } from './http-transport.js';
export type { ConnectorLogger } from './connector-logger.js';
