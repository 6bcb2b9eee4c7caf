import type { UserRole } from './user.js';

/** A bearer token for the HTTP API. Only its hash is stored; the plain token is shown once. */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly role: UserRole;
  /** The person the token acts for; absent for a service token. */
  readonly userId?: string;
  readonly createdAt: string;
  readonly lastUsedAt?: string;
  readonly revokedAt?: string;
}

export interface NewApiToken {
  readonly name: string;
  readonly role: UserRole;
  readonly userId?: string;
}

/** The plain token exists only in this value; its toJSON/toString mask it. */
export interface IssuedApiToken {
  readonly token: ApiToken;
  readonly plainToken: string;
}

export interface ApiTokenRepository {
  create(input: NewApiToken): Promise<IssuedApiToken>;
  /** The token if it exists, is not revoked and its user (if any) is not disabled; records the use. */
  verify(plainToken: string): Promise<ApiToken | undefined>;
  revoke(id: string): Promise<ApiToken>;
  list(): Promise<readonly ApiToken[]>;
}
