import { aadsts } from './aadsts-catalog.js';
import { authenticateClient } from './client-authentication.js';
import { parseAppScopes } from './dataverse-scopes.js';
import { formValue, grantFailure, type GrantResult, type TokenRequest } from './token-request.js';
import { appTokenResponse } from './token-response.js';

/**
 * `grant_type=client_credentials` (S2S, the Dataverse application user): a confidential client
 * authenticates with a secret or certificate and asks for `<environment>/.default`.
 */
export async function clientCredentialsGrant(request: TokenRequest): Promise<GrantResult> {
  const { context, form } = request;
  // App-only tokens need a home tenant; /common and /organizations give none.
  if (request.tenant.kind !== 'tenant') return grantFailure(aadsts.noTenantInformation());
  const client = await authenticateClient(form, request.authorizationHeader, {
    directory: context.directory,
    revocations: context.revocations,
    assertionAudiences: request.assertionAudiences,
    now: request.now,
  });
  if (!client.ok) return grantFailure(client.error);
  if (client.method === 'none') return grantFailure(aadsts.missingClientCredential());

  const scope = formValue(form, 'scope');
  if (scope === undefined) return grantFailure(aadsts.missingParameter('scope'));
  const scopes = parseAppScopes(scope, {
    environmentUrl: context.environmentUrl(),
    directoryName: context.directory.tenantDisplayName,
    appName: client.app.displayName,
  });
  if (!scopes.ok) return grantFailure(scopes.error);
  return { ok: true, body: await appTokenResponse(context, client.app, client.method) };
}
