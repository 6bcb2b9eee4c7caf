import { compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { aadsts } from './aadsts-catalog.js';
import type { AppRegistration, CertificateCredential } from './entra-directory.js';
import type { AadstsError } from './entra-error.js';
import { sameAudience } from './token-issuers.js';

/**
 * Certificate credentials (learn.microsoft.com/entra/identity-platform/certificate-credentials): the
 * client sends `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and a JWT
 * signed with the certificate's private key, header naming the certificate by `x5t` (base64url SHA-1)
 * or `x5t#S256` (base64url SHA-256), claims aud = token endpoint, iss = sub = client id, exp, nbf, jti.
 *
 * msal-node (ClientAssertion.createJwt) signs RS256 + x5t for `thumbprint` and PS256 + x5t#S256 for
 * `thumbprintSha256`, sets nbf = now and exp = now + 600 s, and re-sends the same assertion (same jti)
 * until it expires — so `jti` replay is deliberately not rejected.
 */

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Entra tolerates small clock differences between client and server. */
const CLOCK_SKEW_SECONDS = 300;

export interface ClientAssertionContext {
  readonly app: AppRegistration;
  /** Accepted `aud` values: the token endpoint URL(s) for this request (and the v2 issuer). */
  readonly audiences: readonly string[];
  /** Epoch milliseconds. */
  readonly now: number;
}

export type ClientAssertionResult =
  | { readonly ok: true; readonly certificate: CertificateCredential }
  | { readonly ok: false; readonly error: AadstsError };

const claimsSchema = z.object({
  aud: z.union([z.string(), z.array(z.string())]),
  iss: z.string(),
  sub: z.string(),
  exp: z.number(),
  nbf: z.number().optional(),
});

export async function verifyClientAssertion(
  assertion: string,
  context: ClientAssertionContext,
): Promise<ClientAssertionResult> {
  const { app } = context;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return fail(aadsts.malformedClientAssertion('The client assertion is not a JWT.'));
  }
  if (header.alg !== 'RS256' && header.alg !== 'PS256') {
    return fail(aadsts.malformedClientAssertion(`Unsupported signing algorithm '${String(header.alg)}'.`));
  }

  const sha256 = typeof header['x5t#S256'] === 'string' ? thumbprintHex(header['x5t#S256']) : undefined;
  const sha1 = typeof header.x5t === 'string' ? thumbprintHex(header.x5t) : undefined;
  const presented = sha256 ?? sha1;
  if (presented === undefined) return fail(aadsts.clientAssertionWithoutThumbprint());
  const certificate = app.certificates.find((cert) =>
    sha256 !== undefined ? cert.thumbprintSha256 === sha256 : cert.thumbprintSha1 === sha1,
  );
  if (certificate === undefined) return fail(aadsts.clientAssertionKeyNotFound(presented, app.clientId));

  const validity = keyValidity(certificate);
  if (context.now < certificate.notBefore.getTime() || context.now > certificate.notAfter.getTime()) {
    return fail(aadsts.clientAssertionKeyExpired(presented, app.clientId, validity));
  }

  let payload: Uint8Array;
  try {
    payload = (await compactVerify(assertion, certificate.publicKey, { algorithms: ['RS256', 'PS256'] }))
      .payload;
  } catch {
    return fail(aadsts.clientAssertionBadSignature(presented, app.clientId, validity));
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return fail(aadsts.malformedClientAssertion('The client assertion payload is not JSON.'));
  }
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success) {
    return fail(aadsts.malformedClientAssertion('The client assertion must contain aud, iss, sub and exp.'));
  }
  const claims = parsed.data;

  const clientId = app.clientId.toLowerCase();
  if (claims.iss.toLowerCase() !== clientId || claims.sub.toLowerCase() !== clientId) {
    return fail(aadsts.clientAssertionSubjectMismatch());
  }
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (!audiences.some((aud) => context.audiences.some((expected) => sameAudience(aud, expected)))) {
    return fail(aadsts.clientAssertionAudienceMismatch(audiences.join(' '), context.audiences[0] ?? ''));
  }
  const nowSeconds = context.now / 1000;
  const notBefore = claims.nbf ?? 0;
  if (nowSeconds > claims.exp + CLOCK_SKEW_SECONDS || nowSeconds < notBefore - CLOCK_SKEW_SECONDS) {
    return fail(aadsts.clientAssertionTimeRange(context.now, notBefore * 1000, claims.exp * 1000));
  }
  return { ok: true, certificate };
}

/** base64url thumbprint from a JWT header → upper-case hex, as shown in Entra's messages. */
function thumbprintHex(base64url: string): string {
  return Buffer.from(base64url, 'base64url').toString('hex').toUpperCase();
}

/** Entra prints key validity as "Start=02/07/2021 17:00:39, End=02/06/2026 17:00:39" (UTC). */
function keyValidity(certificate: CertificateCredential): string {
  return `Start=${usDateTime(certificate.notBefore)}, End=${usDateTime(certificate.notAfter)}`;
}

function usDateTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

function fail(error: AadstsError): ClientAssertionResult {
  return { ok: false, error };
}
