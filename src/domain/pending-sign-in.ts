/**
 * A person's delegated Dynamics 365 sign-in between the redirect to Microsoft Entra ID and the code
 * coming back. Kept in the store, not in memory, so a restart or another API process can finish it.
 */
export interface PendingCrmSignIn {
  readonly connectionId: string;
  readonly userId: string;
  /** The exact redirect URI of the authorize request; the token request must repeat it. */
  readonly redirectUri: string;
  /** PKCE code verifier (RFC 7636): whoever holds it with the code gets the tokens, so it is sealed at rest. */
  readonly codeVerifier: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface NewPendingCrmSignIn {
  /** The OAuth `state` sent to Entra ID; only its hash is stored. */
  readonly state: string;
  readonly connectionId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
  readonly expiresAt: string;
}

export interface PendingCrmSignInRepository {
  create(input: NewPendingCrmSignIn): Promise<PendingCrmSignIn>;
  /**
   * Removes the user's pending sign-in for `state` and returns it, in one statement: of two callers
   * (a replay, two processes) only one gets it. Expired ones are returned too, so the caller can say
   * why it refuses; undefined when there is none for this state and user.
   */
  consume(state: string, userId: string): Promise<PendingCrmSignIn | undefined>;
  /** Returns how many expired sign-ins were removed. */
  deleteExpired(): Promise<number>;
}
