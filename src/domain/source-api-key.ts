/** A key a capture source (form, partner feed) sends with its leads. Only the hash is stored. */
export interface SourceApiKey {
  readonly id: string;
  readonly sourceId: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

/** The plain key exists only in this value; its toJSON/toString mask it. */
export interface IssuedSourceApiKey {
  readonly key: SourceApiKey;
  readonly plainKey: string;
}

export interface SourceApiKeyRepository {
  create(sourceId: string): Promise<IssuedSourceApiKey>;
  verify(plainKey: string): Promise<SourceApiKey | undefined>;
  revoke(id: string): Promise<SourceApiKey>;
  listForSource(sourceId: string): Promise<readonly SourceApiKey[]>;
}
