import { randomBytes } from 'node:crypto';

/**
 * Short-lived, single-use server-side handles: authorization codes and the sign-in page's flow tokens.
 * Used entries are kept until they expire so a second redemption can be told apart from a random string
 * (Entra answers AADSTS54005 "already redeemed" vs AADSTS9002313 "malformed").
 */

export type ConsumeResult<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'unknown' }
  | { readonly status: 'expired'; readonly value: T }
  | { readonly status: 'used'; readonly value: T };

interface Entry<T> {
  readonly value: T;
  readonly expiresAt: number;
  used: boolean;
}

export class OneTimeTokenStore<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly lifetimeMs: number,
    /** Kept after expiry so late redemptions report "expired" rather than "unknown". */
    private readonly retentionMs: number = lifetimeMs,
  ) {}

  issue(value: T, now: number): string {
    this.prune(now);
    const token = randomBytes(48).toString('base64url');
    this.entries.set(token, { value, expiresAt: now + this.lifetimeMs, used: false });
    return token;
  }

  /** Marks the token used and returns its value; a token can be consumed successfully once. */
  consume(token: string, now: number): ConsumeResult<T> {
    const entry = this.entries.get(token);
    if (entry === undefined) return { status: 'unknown' };
    if (entry.used) return { status: 'used', value: entry.value };
    if (now >= entry.expiresAt) return { status: 'expired', value: entry.value };
    entry.used = true;
    return { status: 'ok', value: entry.value };
  }

  private prune(now: number): void {
    for (const [token, entry] of this.entries) {
      if (now >= entry.expiresAt + this.retentionMs) this.entries.delete(token);
    }
  }
}
