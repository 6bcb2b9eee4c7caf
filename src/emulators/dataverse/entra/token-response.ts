import { issueAppAccessToken, issueUserAccessToken, type ClientAuthMethod } from './access-tokens.js';
import { tokenAuthority, type EntraContext } from './entra-context.js';
import type { AppRegistration, DirectoryUser } from './entra-directory.js';
import { clientInfo, issueIdToken } from './id-tokens.js';
import { issueRefreshToken } from './refresh-tokens.js';
import { accessTokenAudience } from './token-issuers.js';

/**
 * Successful token responses, as Entra's v2 endpoint returns them:
 *   {"token_type":"Bearer","scope":"...","expires_in":3599,"ext_expires_in":3599,"access_token":"...",
 *    "refresh_token":"...","id_token":"...","client_info":"..."}
 * Client-credentials responses carry no `scope`, refresh token or ID token (MSDocs
 * v2-oauth2-client-creds-grant-flow; docs/protocols/dataverse.md §8); msal-node then caches the token
 * under the requested scopes.
 */
export interface TokenResponseBody {
  readonly token_type: 'Bearer';
  readonly scope?: string;
  readonly expires_in: number;
  readonly ext_expires_in: number;
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly client_info?: string;
}

export async function appTokenResponse(
  context: EntraContext,
  app: AppRegistration,
  method: ClientAuthMethod,
): Promise<TokenResponseBody> {
  const issued = await issueAppAccessToken(tokenAuthority(context), app, method, timing(context));
  return {
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    ext_expires_in: issued.expiresIn,
    access_token: issued.token,
  };
}

export interface UserGrant {
  readonly app: AppRegistration;
  readonly user: DirectoryUser;
  readonly method: ClientAuthMethod;
  readonly permissions: readonly string[];
  readonly oidc: readonly string[];
  /** Epoch seconds of the interactive sign-in. */
  readonly authTime: number;
  readonly sessionId: string;
  readonly nonce: string | undefined;
  /** The request had client_info=1. */
  readonly includeClientInfo: boolean;
}

/**
 * Access token for the environment, plus a (rotated) refresh token when offline_access was granted and
 * an ID token when openid was.
 */
export async function userTokenResponse(context: EntraContext, grant: UserGrant): Promise<TokenResponseBody> {
  const authority = tokenAuthority(context);
  const now = context.now();
  const access = await issueUserAccessToken(
    authority,
    grant.app,
    grant.user,
    grant.method,
    { permissions: grant.permissions, authTime: grant.authTime, sessionId: grant.sessionId },
    timing(context),
  );
  const refreshToken = grant.oidc.includes('offline_access')
    ? await issueRefreshToken(
        {
          clientId: grant.app.clientId,
          userObjectId: grant.user.objectId,
          tenantId: context.directory.tenantId,
          permissions: grant.permissions,
          oidc: grant.oidc,
          stamp: context.revocations.nextStamp(),
          authTime: grant.authTime,
          sessionId: grant.sessionId,
        },
        context.keys,
      )
    : undefined;
  const idToken = grant.oidc.includes('openid')
    ? await issueIdToken(authority, {
        clientId: grant.app.clientId,
        user: grant.user,
        nonce: grant.nonce,
        oidcScopes: grant.oidc,
        now,
      })
    : undefined;
  const resource = accessTokenAudience(context.environmentUrl());
  const scope = [...grant.permissions.map((permission) => `${resource}/${permission}`), ...grant.oidc].join(
    ' ',
  );
  return {
    token_type: 'Bearer',
    scope,
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    ...(idToken === undefined ? {} : { id_token: idToken }),
    ...(grant.includeClientInfo
      ? { client_info: clientInfo(grant.user.objectId, context.directory.tenantId) }
      : {}),
  };
}

function timing(context: EntraContext): { now: number; lifetimeSeconds: number } {
  return { now: context.now(), lifetimeSeconds: context.accessTokenLifetimeSeconds };
}
