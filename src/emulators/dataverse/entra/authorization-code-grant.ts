import { aadsts } from './aadsts-catalog.js';
import { authenticateClient } from './client-authentication.js';
import { parseDelegatedScopes } from './dataverse-scopes.js';
import { findUser } from './entra-directory.js';
import { verifyCodeVerifier } from './pkce.js';
import { formValue, grantFailure, type GrantResult, type TokenRequest } from './token-request.js';
import { userTokenResponse } from './token-response.js';

/**
 * `grant_type=authorization_code`: redeems a code from the account picker. Codes are single-use
 * (AADSTS54005 on replay), short-lived (AADSTS70008), bound to the client and redirect URI they were
 * issued for, and — when the authorize request had a `code_challenge` — to the PKCE verifier
 * (AADSTS501481).
 */
export async function authorizationCodeGrant(request: TokenRequest): Promise<GrantResult> {
  const { context, form } = request;
  const client = await authenticateClient(form, request.authorizationHeader, {
    directory: context.directory,
    revocations: context.revocations,
    assertionAudiences: request.assertionAudiences,
    now: request.now,
  });
  if (!client.ok) return grantFailure(client.error);

  const code = formValue(form, 'code');
  if (code === undefined) return grantFailure(aadsts.missingParameter('code'));
  const redirectUri = formValue(form, 'redirect_uri');
  if (redirectUri === undefined) return grantFailure(aadsts.missingParameter('redirect_uri'));
  const scope = formValue(form, 'scope');
  if (scope === undefined) return grantFailure(aadsts.emptyScopeForCode());

  const redeemed = context.authorizationCodes.consume(code, request.now);
  if (redeemed.status === 'unknown') return grantFailure(aadsts.malformedGrant());
  if (redeemed.status === 'used') return grantFailure(aadsts.authorizationCodeRedeemed());
  if (redeemed.status === 'expired') return grantFailure(aadsts.authorizationCodeExpired());
  const grant = redeemed.value;
  if (grant.clientId.toLowerCase() !== client.app.clientId.toLowerCase()) {
    return grantFailure(aadsts.grantIssuedToOtherClient());
  }
  if (grant.redirectUri !== redirectUri) {
    return grantFailure(aadsts.redirectUriMismatchForCode(redirectUri, grant.redirectUri));
  }
  if (grant.codeChallenge !== undefined) {
    const verifier = formValue(form, 'code_verifier');
    if (verifier === undefined) return grantFailure(aadsts.missingParameter('code_verifier'));
    if (!verifyCodeVerifier(verifier, grant.codeChallenge)) return grantFailure(aadsts.pkceMismatch());
  }

  const scopes = parseDelegatedScopes(scope, {
    environmentUrl: context.environmentUrl(),
    directoryName: context.directory.tenantDisplayName,
    appName: client.app.displayName,
  });
  if (!scopes.ok) return grantFailure(scopes.error);
  if (scopes.value.resource === undefined) return grantFailure(aadsts.resourcelessScope(scope));

  const user = findUser(context.directory, grant.userObjectId);
  if (user === undefined) {
    return grantFailure(aadsts.userNotFound(grant.userObjectId, context.directory.tenantDisplayName));
  }
  if (!user.accountEnabled) return grantFailure(aadsts.userDisabled());

  const body = await userTokenResponse(context, {
    app: client.app,
    user,
    method: client.method,
    permissions: scopes.value.permissions,
    oidc: union(grant.scopes.oidc, scopes.value.oidc),
    authTime: grant.authTime,
    sessionId: grant.sessionId,
    nonce: grant.nonce,
    includeClientInfo: form.get('client_info') === '1',
  });
  return { ok: true, body };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
