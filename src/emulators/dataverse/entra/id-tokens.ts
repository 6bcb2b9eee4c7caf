import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { pairwiseSubject, type TokenAuthority } from './access-tokens.js';
import type { DirectoryUser } from './entra-directory.js';
import { idTokenIssuer } from './token-issuers.js';

/**
 * v2.0 ID tokens (openid scope). msal-node builds the cached account from them: `tid` (realm), `oid`
 * (localAccountId), `preferred_username` (username), `name`; it rejects a `nonce` it did not ask for
 * (ResponseHandler.handleServerTokenResponse), so `nonce` is only set when the authorize request had one.
 */
export interface IdTokenRequest {
  readonly clientId: string;
  readonly user: DirectoryUser;
  readonly nonce: string | undefined;
  readonly oidcScopes: readonly string[];
  /** Epoch milliseconds. */
  readonly now: number;
}

/** Entra's ID tokens live one hour regardless of the access-token lifetime. */
const ID_TOKEN_LIFETIME_SECONDS = 3600;

export async function issueIdToken(authority: TokenAuthority, request: IdTokenRequest): Promise<string> {
  const issuedAt = Math.floor(request.now / 1000);
  const includeProfile = request.oidcScopes.includes('profile');
  return new SignJWT({
    oid: request.user.objectId,
    preferred_username: request.user.userPrincipalName,
    ...(includeProfile ? { name: request.user.displayName } : {}),
    ...(request.oidcScopes.includes('email') ? { email: request.user.userPrincipalName } : {}),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    sub: pairwiseSubject(request.user.objectId, request.clientId),
    tid: authority.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
  })
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: authority.keys.kid })
    .setAudience(request.clientId)
    .setIssuer(idTokenIssuer(authority.issuerOrigin, authority.tenantId))
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + ID_TOKEN_LIFETIME_SECONDS)
    .sign(authority.keys.privateKey);
}

/**
 * `client_info` (sent when the request had client_info=1, which msal always does): base64url JSON
 * {"uid": <object id>, "utid": <tenant id>}; msal-node derives the account's homeAccountId "uid.utid".
 */
export function clientInfo(objectId: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: objectId, utid: tenantId }), 'utf8').toString('base64url');
}
