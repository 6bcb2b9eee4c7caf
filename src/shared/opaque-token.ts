import { createHash, randomBytes } from 'node:crypto';

/**
 * A random bearer secret (256 bits) with a recognisable prefix, so secret scanners and people can tell
 * what leaked: `lb_pat_…` for API tokens, `lb_src_…` for source keys.
 */
export const generateOpaqueToken = (prefix: string): string =>
  `${prefix}${randomBytes(32).toString('base64url')}`;

/**
 * SHA-256 (hex) of a token: what the store keeps instead of the token. Session cookies, API tokens and
 * source keys are high-entropy random strings, so a fast unsalted hash is the right tool here (unlike
 * passwords, which the app hashes with scrypt).
 */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
