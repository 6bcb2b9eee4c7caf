import { trimTrailingSlashes } from './token-issuers.js';

/** RFC 6750 Bearer scheme, as Dataverse uses it: the 401 challenge and the credential header. */

/**
 * The challenge Dataverse sends with a 401 (docs/protocols/dataverse.md §1.11), unquoted values:
 *   WWW-Authenticate: Bearer authorization_uri=https://login.microsoftonline.com/<tenant-guid>/oauth2/authorize, resource_id=https://<org>.crm<N>.dynamics.com/
 * Clients parse the tenant from authorization_uri (it is the v1 authorize path) and use resource_id as
 * the scope base, so the emulator points both at itself.
 */
export function wwwAuthenticateHeader(
  tenantId: string,
  issuerOrigin: string,
  environmentUrl: string,
): string {
  const resourceId = environmentUrl.endsWith('/') ? environmentUrl : `${environmentUrl}/`;
  return `Bearer authorization_uri=${trimTrailingSlashes(issuerOrigin)}/${tenantId}/oauth2/authorize, resource_id=${resourceId}`;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else undefined. */
export function bearerTokenFromHeader(authorization: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
