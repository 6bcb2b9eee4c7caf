import type { CrmConnection, CrmCredentials } from './crm-connection.js';

/** What WhoAmI (plus the systemuser's name) tells about a connection or a user's sign-in. */
export interface CrmIdentity {
  readonly userId: string;
  readonly businessUnitId: string;
  readonly organizationId: string;
  readonly userFullName?: string;
}

export interface CrmChoice {
  readonly value: number;
  readonly label: string;
}

/**
 * The app's port to a Dynamics 365 environment, implemented by connectors/dynamics. Failures are
 * LeadbridgeErrors with `crm_*` codes and the vendor's code kept beside them.
 */
export interface CrmGateway {
  /** Validates and normalises an environment URL to `https://host/`; throws `crm_url_invalid`. */
  normalizeEnvironmentUrl(url: string): string;
  /** Token (client credentials) + WhoAmI + the application user's name. */
  testConnection(connection: CrmConnection, credentials: CrmCredentials): Promise<CrmIdentity>;
  /** Live options of a choice column, e.g. lead.leadsourcecode. */
  choiceOptions(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: string,
    column: string,
  ): Promise<CrmChoice[]>;
  /** Starts a user's delegated sign-in (authorization code + PKCE). */
  beginUserSignIn(
    connection: CrmConnection,
    credentials: CrmCredentials,
    request: { readonly userId: string; readonly redirectUri: string; readonly state: string },
  ): Promise<{ readonly url: string; readonly codeVerifier: string }>;
  /** Redeems the code, keeps the user's token cache, and returns who signed in. */
  completeUserSignIn(
    connection: CrmConnection,
    credentials: CrmCredentials,
    request: {
      readonly userId: string;
      readonly code: string;
      readonly redirectUri: string;
      readonly codeVerifier: string;
    },
  ): Promise<CrmIdentity>;
}
