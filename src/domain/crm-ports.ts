/**
 * Ports the Dynamics connector needs from the rest of the app. The store implements them; the
 * connector only sees these interfaces (connectors and store never import each other).
 */

/** Persists MSAL's serialized token cache for one connection (and optionally one user), encrypted at rest. */
export interface TokenCacheStore {
  load(key: TokenCacheKey): Promise<string | undefined>;
  save(key: TokenCacheKey, serializedCache: string): Promise<void>;
  delete(key: TokenCacheKey): Promise<void>;
}

export interface TokenCacheKey {
  readonly connectionId: string;
  /** Absent for the application (client credentials) cache. */
  readonly userId?: string;
}

/** Counts Dataverse requests per connection and UTC day: the licence entitlement Dataverse meters. */
export interface RequestCounter {
  /** Adds `count` requests for `day` (YYYY-MM-DD) and returns the new total for that day. */
  add(connectionId: string, day: string, count: number): Promise<number>;
  get(connectionId: string, day: string): Promise<number>;
}
