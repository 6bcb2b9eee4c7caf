import type { User } from './user.js';

/** A signed-in browser. The id is the SHA-256 hash (hex) of the cookie token, never the token. */
export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastSeenAt: string;
}

export interface NewSession {
  /** SHA-256 of the cookie token, 64 lowercase hex digits. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface ValidSession {
  readonly session: Session;
  readonly user: User;
}

export interface SessionRepository {
  create(input: NewSession): Promise<Session>;
  /** The session if it has not expired and its user is not disabled. */
  findValid(tokenHash: string): Promise<ValidSession | undefined>;
  /** Records activity now; with `expiresAt`, also slides the expiry. */
  touch(tokenHash: string, expiresAt?: string): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  /** Returns how many sessions ended. */
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(): Promise<number>;
}
