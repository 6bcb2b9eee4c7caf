export { DynamicsGateway, escapeLiteral, type DynamicsGatewayOptions } from './dynamics-gateway.js';
export { normalizeEnvironmentUrl } from './environment-url.js';
export {
  DataverseHttpClient,
  DEFAULT_RETRY,
  type ConnectorLogger,
  type RetryPolicy,
} from './dataverse-http-client.js';
export { isTemporary, mapDataverseFailure, mapEntraFailure } from './dataverse-error-mapping.js';
