import { describe, expect, it } from 'vitest';
import { parseCodeChallenge, s256CodeChallenge, verifyCodeVerifier } from './pkce.js';

// RFC 7636 Appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE', () => {
  it('derives the RFC 7636 S256 challenge', () => {
    expect(s256CodeChallenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it('verifies S256 and plain verifiers', () => {
    expect(verifyCodeVerifier(RFC_VERIFIER, { value: RFC_CHALLENGE, method: 'S256' })).toBe(true);
    expect(verifyCodeVerifier(RFC_VERIFIER, { value: RFC_VERIFIER, method: 'plain' })).toBe(true);
  });

  it('rejects a different verifier, the challenge itself, and out-of-spec verifiers', () => {
    const challenge = { value: RFC_CHALLENGE, method: 'S256' } as const;
    expect(verifyCodeVerifier(`${RFC_VERIFIER.slice(0, -1)}l`, challenge)).toBe(false);
    expect(verifyCodeVerifier(RFC_CHALLENGE, challenge)).toBe(false);
    expect(verifyCodeVerifier('short', { value: 'short', method: 'plain' })).toBe(false);
    expect(verifyCodeVerifier(`${RFC_VERIFIER}!`, challenge)).toBe(false);
  });

  it('defaults the method to plain and validates method and size (AADSTS50149, AADSTS501491)', () => {
    expect(parseCodeChallenge(undefined, 'S256')).toEqual({ ok: true, challenge: undefined });
    expect(parseCodeChallenge(RFC_CHALLENGE, undefined)).toEqual({
      ok: true,
      challenge: { value: RFC_CHALLENGE, method: 'plain' },
    });
    expect(parseCodeChallenge(RFC_CHALLENGE, 'S512')).toMatchObject({ ok: false, error: { code: 50149 } });
    expect(parseCodeChallenge('too-short', 'S256')).toMatchObject({ ok: false, error: { code: 501491 } });
  });
});
