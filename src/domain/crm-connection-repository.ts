import type { CrmAuthKind, CrmConnection, CrmConnectionStatus, CrmCredentials } from './crm-connection.js';

export interface NewCrmConnection {
  readonly name: string;
  readonly environmentUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly authKind: CrmAuthKind;
  readonly certificateThumbprint?: string;
  readonly credentials: CrmCredentials;
}

/**
 * Changing where or as whom Leadbridge connects (URL, tenant, client, auth kind, credentials) puts the
 * connection back to `untested`; changing the environment, tenant or client also drops its token caches.
 */
export interface CrmConnectionChanges {
  readonly name?: string;
  readonly environmentUrl?: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly authKind?: CrmAuthKind;
  readonly certificateThumbprint?: string;
  readonly credentials?: CrmCredentials;
}

/** A status replaces the previous one whole: reason and throttling omitted means cleared. */
export interface CrmConnectionStatusChange {
  readonly status: CrmConnectionStatus;
  readonly statusReason?: string;
  readonly throttledUntil?: string;
  readonly organizationId?: string;
}

export interface CrmConnectionRepository {
  /** The first usable connection becomes the primary one. `conflict` if the environment is connected. */
  create(input: NewCrmConnection): Promise<CrmConnection>;
  get(id: string): Promise<CrmConnection | undefined>;
  list(options?: { readonly includeRevoked?: boolean }): Promise<readonly CrmConnection[]>;
  getPrimary(): Promise<CrmConnection | undefined>;
  update(id: string, changes: CrmConnectionChanges): Promise<CrmConnection>;
  setStatus(id: string, change: CrmConnectionStatusChange): Promise<CrmConnection>;
  /** Makes this the only primary connection, in one transaction. */
  setPrimary(id: string): Promise<CrmConnection>;
  /** Keeps the record for history but forgets its credentials and token caches; never primary again. */
  revoke(id: string): Promise<CrmConnection>;
  /** Deletes the connection with its token caches, settings and request counts. */
  disconnect(id: string): Promise<void>;
}

/** The only way to the decrypted credentials; handed to the Dynamics connector alone. */
export interface CrmCredentialSource {
  readCredentials(connectionId: string): Promise<CrmCredentials>;
}
