import { compactVerify, decodeProtectedHeader, errors } from 'jose';
import { z } from 'zod';
import { findApplication, findUser, type EntraDirectory } from './entra-directory.js';
import type { SigningKeys } from './signing-keys.js';
import { sameAudience } from './token-issuers.js';

/**
 * Validates a bearer token the way the Dataverse emulator needs: our signature, not expired, issued for
 * this environment, and naming a principal that has a Dataverse systemuser (the application user bound
 * to `appid` for app-only tokens, the user with `oid` for delegated tokens).
 */

export type VerifiedPrincipal =
  | { readonly kind: 'application'; readonly clientId: string; readonly systemUserId: string }
  | { readonly kind: 'user'; readonly objectId: string; readonly systemUserId: string };

export type AccessTokenRejection =
  'missing' | 'malformed' | 'bad_signature' | 'expired' | 'wrong_audience' | 'unknown_principal';

export type AccessTokenVerification =
  | { readonly ok: true; readonly principal: VerifiedPrincipal }
  | { readonly ok: false; readonly reason: AccessTokenRejection; readonly message: string };

export interface VerifyAccessTokenOptions {
  readonly keys: SigningKeys;
  /** The environment URL; a trailing slash and letter case are ignored. */
  readonly audience: string;
  /** Epoch milliseconds. */
  now(): number;
  readonly directory: EntraDirectory;
  /** When given, `iss` must equal it (see accessTokenIssuer). */
  readonly issuer?: string;
  /** Allowed clock skew for exp/nbf, seconds (default 0: tests rely on exact expiry). */
  readonly clockToleranceSeconds?: number;
}

const claimsSchema = z.object({
  aud: z.union([z.string(), z.array(z.string())]),
  iss: z.string(),
  exp: z.number(),
  nbf: z.number().optional(),
  tid: z.string(),
  ver: z.literal('1.0'),
  idtyp: z.enum(['app', 'user']),
  appid: z.string(),
  oid: z.string(),
});

export async function verifyAccessToken(
  token: string | undefined,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenVerification> {
  if (token === undefined || token.trim() === '') return reject('missing', 'No bearer token was presented.');

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return reject('malformed', 'The token is not a JWT.');
  }
  if (token.split('.').length !== 3 || header.alg !== 'RS256' || header.typ !== 'JWT') {
    return reject('malformed', 'The token is not an RS256-signed JWT access token.');
  }
  if (header.kid !== options.keys.kid) {
    return reject('bad_signature', `The token was signed with an unknown key (kid '${String(header.kid)}').`);
  }

  let payloadBytes: Uint8Array;
  try {
    payloadBytes = (await compactVerify(token, options.keys.publicKey, { algorithms: ['RS256'] })).payload;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return reject('bad_signature', 'The token signature is invalid.');
    }
    return reject('malformed', 'The token could not be parsed.');
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    return reject('malformed', 'The token payload is not JSON.');
  }
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success) return reject('malformed', 'The token is missing required access-token claims.');
  const claims = parsed.data;

  const nowSeconds = options.now() / 1000;
  const tolerance = options.clockToleranceSeconds ?? 0;
  if (nowSeconds >= claims.exp + tolerance) {
    return reject('expired', `The token expired at ${new Date(claims.exp * 1000).toISOString()}.`);
  }
  if (claims.nbf !== undefined && nowSeconds < claims.nbf - tolerance) {
    return reject('expired', `The token is not valid before ${new Date(claims.nbf * 1000).toISOString()}.`);
  }
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (!audiences.some((aud) => sameAudience(aud, options.audience))) {
    return reject(
      'wrong_audience',
      `The token audience '${audiences.join(' ')}' is not '${options.audience}'.`,
    );
  }
  if (options.issuer !== undefined && claims.iss !== options.issuer) {
    return reject('malformed', `The token issuer '${claims.iss}' is not '${options.issuer}'.`);
  }
  if (claims.tid.toLowerCase() !== options.directory.tenantId.toLowerCase()) {
    return reject('unknown_principal', `The token was issued for tenant '${claims.tid}'.`);
  }

  if (claims.idtyp === 'app') {
    const app = findApplication(options.directory, claims.appid);
    if (app === undefined) {
      return reject('unknown_principal', `No application user exists for application '${claims.appid}'.`);
    }
    return {
      ok: true,
      principal: { kind: 'application', clientId: app.clientId, systemUserId: app.systemUserId },
    };
  }
  const user = findUser(options.directory, claims.oid);
  if (user === undefined || !user.accountEnabled) {
    return reject('unknown_principal', `No enabled user exists with object id '${claims.oid}'.`);
  }
  return { ok: true, principal: { kind: 'user', objectId: user.objectId, systemUserId: user.systemUserId } };
}

function reject(reason: AccessTokenRejection, message: string): AccessTokenVerification {
  return { ok: false, reason, message };
}
