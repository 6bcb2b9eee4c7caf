import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';
import type { SigningKeys } from './signing-keys.js';

/**
 * Refresh tokens are opaque to clients ("Refresh tokens are encrypted and only the Microsoft identity
 * platform can read them", learn.microsoft.com/entra/identity-platform/refresh-tokens). Here they are
 * JWE (dir + A256GCM) under a key derived from the signing key, so they need no server-side store and
 * survive restarts. They rotate: every redemption returns a new one, and — as in Entra ("The Microsoft
 * identity platform doesn't revoke old refresh tokens when used to fetch new access tokens") — the old
 * one keeps working until it is inactive for too long or is revoked.
 */

export interface RefreshTokenContents {
  readonly clientId: string;
  readonly userObjectId: string;
  readonly tenantId: string;
  /** Delegated permissions on the environment (user_impersonation). */
  readonly permissions: readonly string[];
  /** OpenID Connect scopes granted at sign-in (openid, profile, offline_access, email). */
  readonly oidc: readonly string[];
  /** Issuance stamp, µs (see CredentialRevocations.nextStamp). */
  readonly stamp: number;
  /** When the user signed in interactively (epoch seconds); carried through rotations. */
  readonly authTime: number;
  /** Sign-in session id (`sid` claim); carried through rotations. */
  readonly sessionId: string;
}

const contentsSchema = z.object({
  cid: z.string(),
  oid: z.string(),
  tid: z.string(),
  prm: z.array(z.string()),
  oidc: z.array(z.string()),
  stp: z.number().int(),
  ath: z.number().int(),
  sid: z.string(),
});

const PROTECTED_HEADER = { alg: 'dir', enc: 'A256GCM', typ: 'lb-rt' } as const;

export async function issueRefreshToken(contents: RefreshTokenContents, keys: SigningKeys): Promise<string> {
  return new EncryptJWT({
    cid: contents.clientId,
    oid: contents.userObjectId,
    tid: contents.tenantId,
    prm: [...contents.permissions],
    oidc: [...contents.oidc],
    stp: contents.stamp,
    ath: contents.authTime,
    sid: contents.sessionId,
  })
    .setProtectedHeader(PROTECTED_HEADER)
    .encrypt(keys.refreshTokenKey);
}

/** The contents, or undefined for anything that is not a refresh token this service issued. */
export async function readRefreshToken(
  token: string,
  keys: SigningKeys,
): Promise<RefreshTokenContents | undefined> {
  try {
    const { payload, protectedHeader } = await jwtDecrypt(token, keys.refreshTokenKey, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    if (protectedHeader.typ !== PROTECTED_HEADER.typ) return undefined;
    const parsed = contentsSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const value = parsed.data;
    return {
      clientId: value.cid,
      userObjectId: value.oid,
      tenantId: value.tid,
      permissions: value.prm,
      oidc: value.oidc,
      stamp: value.stp,
      authTime: value.ath,
      sessionId: value.sid,
    };
  } catch {
    return undefined;
  }
}
