import type { TenantPath } from './tenant-path.js';
import { idTokenIssuer, trimTrailingSlashes } from './token-issuers.js';

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration`, shaped like Entra's. msal-node requires
 * authorization_endpoint, token_endpoint, issuer and jwks_uri (msal-common isOpenIdConfigResponse), checks
 * that `issuer` has the authority's scheme and host (Authority.validateIssuer), and reads
 * end_session_endpoint for logout URLs.
 *
 * As in Entra, a tenant-specific document names the tenant id everywhere, while `organizations` /
 * `common` keep the alias in the endpoint paths and use the literal `{tenantid}` placeholder in
 * `issuer` (msal replaces it). Endpoints that would point at Microsoft's real hosts (userinfo on
 * graph.microsoft.com, kerberos, device code) are left out so nothing ever calls out of the machine.
 */
export function openIdConfiguration(
  issuerOrigin: string,
  tenantId: string,
  tenant: TenantPath,
): Record<string, unknown> {
  const origin = trimTrailingSlashes(issuerOrigin);
  const pathTenant = tenant.kind === 'tenant' ? tenantId : tenant.kind;
  const base = `${origin}/${pathTenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: tenant.kind === 'tenant' ? idTokenIssuer(origin, tenantId) : `${origin}/{tenantid}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: 'NA',
  };
}
