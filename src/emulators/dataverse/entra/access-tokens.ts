import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { AppRegistration, DirectoryUser } from './entra-directory.js';
import type { SigningKeys } from './signing-keys.js';
import { accessTokenAudience, accessTokenIssuer } from './token-issuers.js';

/**
 * Access tokens for the Dataverse environment, shaped like the v1.0 tokens Dataverse receives from Entra
 * (see token-issuers.ts): header {typ:"JWT", alg:"RS256", x5t, kid}; claims aud, iss, iat, nbf, exp,
 * appid, appidacr, idtyp, oid, sub, tid, uti, ver "1.0", plus roles (app) or scp/upn/unique_name/name (user).
 */

/** How the client authenticated: `appidacr` is "0" public client, "1" secret, "2" certificate. */
export type ClientAuthMethod = 'none' | 'secret' | 'certificate';

export interface IssuedToken {
  readonly token: string;
  /** Seconds until expiry as reported in `expires_in` (Entra reports one second less than the lifetime). */
  readonly expiresIn: number;
}

export interface TokenTiming {
  /** Epoch milliseconds. */
  readonly now: number;
  readonly lifetimeSeconds: number;
}

export interface TokenAuthority {
  readonly keys: SigningKeys;
  readonly issuerOrigin: string;
  readonly environmentUrl: string;
  readonly tenantId: string;
}

export async function issueAppAccessToken(
  authority: TokenAuthority,
  app: AppRegistration,
  method: ClientAuthMethod,
  timing: TokenTiming,
): Promise<IssuedToken> {
  return sign(authority, timing, {
    ...commonClaims(authority, app, method),
    idtyp: 'app',
    // App-only v1 tokens name the issuing tenant as identity provider; member-user tokens omit idp.
    idp: accessTokenIssuer(authority.issuerOrigin, authority.tenantId),
    oid: app.servicePrincipalId,
    sub: app.servicePrincipalId,
    ...(app.appRoles.length > 0 ? { roles: [...app.appRoles] } : {}),
  });
}

export interface UserTokenDetails {
  readonly permissions: readonly string[];
  /** Epoch seconds of the interactive sign-in. */
  readonly authTime: number;
  readonly sessionId: string;
}

export async function issueUserAccessToken(
  authority: TokenAuthority,
  app: AppRegistration,
  user: DirectoryUser,
  method: ClientAuthMethod,
  details: UserTokenDetails,
  timing: TokenTiming,
): Promise<IssuedToken> {
  return sign(authority, timing, {
    ...commonClaims(authority, app, method),
    acr: '1',
    amr: ['pwd'],
    auth_time: details.authTime,
    idtyp: 'user',
    name: user.displayName,
    oid: user.objectId,
    scp: details.permissions.join(' '),
    sid: details.sessionId,
    sub: pairwiseSubject(user.objectId, app.clientId),
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
  });
}

/**
 * Entra's `sub` for users is pairwise: stable per (user, app), different across apps, 43 base64url chars.
 */
export function pairwiseSubject(objectId: string, clientId: string): string {
  return createHash('sha256')
    .update(`${objectId.toLowerCase()}|${clientId.toLowerCase()}`)
    .digest('base64url');
}

function commonClaims(authority: TokenAuthority, app: AppRegistration, method: ClientAuthMethod): JWTPayload {
  return {
    appid: app.clientId,
    appidacr: method === 'none' ? '0' : method === 'secret' ? '1' : '2',
    tid: authority.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
}

async function sign(
  authority: TokenAuthority,
  timing: TokenTiming,
  claims: JWTPayload,
): Promise<IssuedToken> {
  const issuedAt = Math.floor(timing.now / 1000);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: authority.keys.kid, kid: authority.keys.kid })
    .setAudience(accessTokenAudience(authority.environmentUrl))
    .setIssuer(accessTokenIssuer(authority.issuerOrigin, authority.tenantId))
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + timing.lifetimeSeconds)
    .sign(authority.keys.privateKey);
  return { token, expiresIn: Math.max(1, timing.lifetimeSeconds - 1) };
}
