import { aadsts } from './aadsts-catalog.js';
import { authenticateClient } from './client-authentication.js';
import { parseDelegatedScopes } from './dataverse-scopes.js';
import { findUser } from './entra-directory.js';
import { readRefreshToken } from './refresh-tokens.js';
import { formValue, grantFailure, type GrantResult, type TokenRequest } from './token-request.js';
import { userTokenResponse } from './token-response.js';

/**
 * `grant_type=refresh_token`: returns a new access token and a new refresh token (rotation). Fails when
 * the token was issued to another client (refresh tokens are bound to user + client), was revoked for the
 * user or the app (AADSTS50173), or sat unused longer than the inactivity limit (AADSTS700082).
 */
export async function refreshTokenGrant(request: TokenRequest): Promise<GrantResult> {
  const { context, form } = request;
  const client = await authenticateClient(form, request.authorizationHeader, {
    directory: context.directory,
    revocations: context.revocations,
    assertionAudiences: request.assertionAudiences,
    now: request.now,
  });
  if (!client.ok) return grantFailure(client.error);

  const presented = formValue(form, 'refresh_token');
  if (presented === undefined) return grantFailure(aadsts.missingParameter('refresh_token'));
  const token = await readRefreshToken(presented, context.keys);
  if (token === undefined || token.tenantId.toLowerCase() !== context.directory.tenantId.toLowerCase()) {
    return grantFailure(aadsts.malformedGrant());
  }
  if (token.clientId.toLowerCase() !== client.app.clientId.toLowerCase()) {
    return grantFailure(aadsts.grantIssuedToOtherClient());
  }
  const issuedAt = token.stamp / 1000;
  const revokedAt = context.revocations.refreshTokenRevokedAt(
    token.userObjectId,
    token.clientId,
    token.stamp,
  );
  if (revokedAt !== undefined) return grantFailure(aadsts.refreshTokenRevoked(issuedAt, revokedAt / 1000));
  const maxInactiveMs = context.refreshTokenMaxInactiveSeconds * 1000;
  if (request.now - issuedAt > maxInactiveMs) {
    return grantFailure(aadsts.refreshTokenInactive(issuedAt, timeSpan(maxInactiveMs)));
  }

  const user = findUser(context.directory, token.userObjectId);
  if (user === undefined) {
    return grantFailure(aadsts.userNotFound(token.userObjectId, context.directory.tenantDisplayName));
  }
  if (!user.accountEnabled) return grantFailure(aadsts.userDisabled());

  let permissions = token.permissions;
  let oidc = token.oidc;
  const scope = formValue(form, 'scope');
  if (scope !== undefined) {
    const scopes = parseDelegatedScopes(scope, {
      environmentUrl: context.environmentUrl(),
      directoryName: context.directory.tenantDisplayName,
      appName: client.app.displayName,
    });
    if (!scopes.ok) return grantFailure(scopes.error);
    if (scopes.value.resource === undefined) return grantFailure(aadsts.resourcelessScope(scope));
    permissions = scopes.value.permissions;
    oidc = [...new Set([...token.oidc, ...scopes.value.oidc])];
  }

  const body = await userTokenResponse(context, {
    app: client.app,
    user,
    method: client.method,
    permissions,
    oidc,
    authTime: token.authTime,
    sessionId: token.sessionId,
    nonce: undefined,
    includeClientInfo: form.get('client_info') === '1',
  });
  return { ok: true, body };
}

/** .NET TimeSpan text, as Entra prints it: "90.00:00:00". */
function timeSpan(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${days}.${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}
