import { createHash, timingSafeEqual } from 'node:crypto';
import { aadsts } from './aadsts-catalog.js';
import type { AadstsError } from './entra-error.js';

/**
 * Proof Key for Code Exchange (RFC 7636). Entra accepts `S256` and `plain`; `plain` is the default when
 * `code_challenge_method` is omitted (RFC 7636 §4.3). msal-node always sends S256.
 */

export type CodeChallengeMethod = 'S256' | 'plain';

export interface CodeChallenge {
  readonly value: string;
  readonly method: CodeChallengeMethod;
}

/** RFC 7636 §4.1/§4.2: 43–128 characters from the unreserved set. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Validates the authorize request's PKCE parameters; `undefined` challenge means PKCE was not used. */
export function parseCodeChallenge(
  challenge: string | undefined,
  method: string | undefined,
):
  | { readonly ok: true; readonly challenge: CodeChallenge | undefined }
  | { readonly ok: false; readonly error: AadstsError } {
  if (challenge === undefined || challenge === '') return { ok: true, challenge: undefined };
  const normalizedMethod = method === undefined || method === '' ? 'plain' : method;
  if (normalizedMethod !== 'S256' && normalizedMethod !== 'plain') {
    return { ok: false, error: aadsts.invalidCodeChallengeMethod() };
  }
  if (!PKCE_VALUE.test(challenge)) return { ok: false, error: aadsts.invalidCodeChallengeSize() };
  return { ok: true, challenge: { value: challenge, method: normalizedMethod } };
}

/** BASE64URL(SHA256(ASCII(code_verifier))) — RFC 7636 §4.2. */
export function s256CodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** True when `verifier` proves possession for `challenge` (constant-time comparison). */
export function verifyCodeVerifier(verifier: string, challenge: CodeChallenge): boolean {
  if (!PKCE_VALUE.test(verifier)) return false;
  const derived = challenge.method === 'S256' ? s256CodeChallenge(verifier) : verifier;
  const expected = Buffer.from(challenge.value, 'ascii');
  const actual = Buffer.from(derived, 'ascii');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
