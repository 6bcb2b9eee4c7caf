/**
 * Administrative state that Entra keeps next to the directory: "revoke sessions" (a user's or an app's
 * refresh tokens stop working, like Graph `revokeSignInSessions` / `refreshTokensValidFromDateTime`) and
 * client secrets removed from an app registration.
 *
 * Refresh tokens carry an issuance stamp; revoking records a stamp, and tokens stamped before it are
 * rejected (AADSTS50173). Stamps are microseconds from the injected clock, forced strictly increasing, so
 * "issue, revoke, issue" is ordered even when a test freezes the clock. This state lives in memory: after
 * a restart earlier revocations are forgotten (refresh tokens themselves survive when keys are persisted).
 */

export type RevocationSubject = { readonly userObjectId: string } | { readonly clientId: string };

export class CredentialRevocations {
  private lastStamp = 0;
  private readonly userValidFrom = new Map<string, number>();
  private readonly clientValidFrom = new Map<string, number>();
  private readonly disabledSecrets = new Set<string>();

  constructor(private readonly now: () => number) {}

  /** A fresh, strictly increasing stamp (µs since the epoch) for a token being issued now. */
  nextStamp(): number {
    this.lastStamp = Math.max(Math.floor(this.now() * 1000), this.lastStamp + 1);
    return this.lastStamp;
  }

  /** Invalidates every refresh token issued so far to the user (any app) or to the app (any user). */
  revokeRefreshTokens(subject: RevocationSubject): void {
    const stamp = this.nextStamp();
    if ('userObjectId' in subject) this.userValidFrom.set(subject.userObjectId.toLowerCase(), stamp);
    else this.clientValidFrom.set(subject.clientId.toLowerCase(), stamp);
  }

  /** The stamp the token predates when it is revoked, else undefined. */
  refreshTokenRevokedAt(userObjectId: string, clientId: string, issuedStamp: number): number | undefined {
    const limits = [
      this.userValidFrom.get(userObjectId.toLowerCase()),
      this.clientValidFrom.get(clientId.toLowerCase()),
    ].filter((limit): limit is number => limit !== undefined && issuedStamp < limit);
    return limits.length === 0 ? undefined : Math.max(...limits);
  }

  /** Removes the secret from the app registration (requests using it then fail with AADSTS7000215). */
  disableClientSecret(clientId: string, secretKeyId: string): void {
    this.disabledSecrets.add(secretKey(clientId, secretKeyId));
  }

  enableClientSecret(clientId: string, secretKeyId: string): void {
    this.disabledSecrets.delete(secretKey(clientId, secretKeyId));
  }

  isClientSecretDisabled(clientId: string, secretKeyId: string): boolean {
    return this.disabledSecrets.has(secretKey(clientId, secretKeyId));
  }
}

function secretKey(clientId: string, secretKeyId: string): string {
  return `${clientId.toLowerCase()}/${secretKeyId.toLowerCase()}`;
}
