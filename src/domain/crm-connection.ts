/**
 * A Dynamics 365 (Dataverse) environment the organisation connected, as the app knows it. Secrets are
 * never part of this shape: the store keeps them encrypted and hands them only to the connector.
 */
export type CrmAuthKind = 'client_secret' | 'certificate';

/** What a person sees about a connection (Twenty-style status, kept apart from workers' stages). */
export type CrmConnectionStatus =
  'active' | 'needs_reauthorization' | 'throttled' | 'unreachable' | 'untested';

export interface CrmConnection {
  readonly id: string;
  readonly name: string;
  /** Normalised `https://host/`. */
  readonly environmentUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly authKind: CrmAuthKind;
  /** SHA-1 thumbprint of the certificate, for `certificate` connections. */
  readonly certificateThumbprint?: string;
  /** Dataverse organisation id found by the last successful test (WhoAmI). */
  readonly organizationId?: string;
  readonly status: CrmConnectionStatus;
  /** Why the status is what it is, in plain words (the vendor's error included). */
  readonly statusReason?: string;
  /** ISO instant until which the environment throttles us. */
  readonly throttledUntil?: string;
  readonly isPrimary: boolean;
  readonly revokedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The secret half of a connection: exactly one of the two is set, matching `authKind`. */
export interface CrmCredentials {
  readonly clientSecret?: string;
  readonly certificatePem?: string;
  readonly privateKeyPem?: string;
}
