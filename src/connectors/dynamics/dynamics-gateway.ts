import type { Dispatcher } from 'undici';
import type {
  CrmChoice,
  CrmConnection,
  CrmCredentials,
  CrmGateway,
  CrmIdentity,
  RequestCounter,
  TokenCacheStore,
} from '../../domain/index.js';
import { LeadbridgeError } from '../../shared/errors.js';
import {
  createDispatcher,
  DataverseHttpClient,
  type ConnectorLogger,
  type RetryPolicy,
} from './dataverse-http-client.js';
import { normalizeEnvironmentUrl } from './environment-url.js';
import {
  applicationToken,
  authorizationUrl,
  confidentialClientFor,
  redeemAuthorizationCode,
} from './entra-token-provider.js';

export interface DynamicsGatewayOptions {
  readonly tokenCaches: TokenCacheStore;
  readonly requestCounter: RequestCounter;
  /** Hosts besides *.dynamics.com accepted as environments: local emulators (`127.0.0.1:8443`). */
  readonly allowedHosts?: readonly string[];
  /** Extra CA certificate trusted for environments and their Entra authority (an emulator's). */
  readonly extraCaPem?: string;
  /** Entra ID for real tenants; an allowed (emulator) host serves its own Entra ID at its origin. */
  readonly authorityHost?: string;
  readonly dailyWarningThreshold?: number;
  readonly logger?: ConnectorLogger;
  readonly retry?: RetryPolicy;
  readonly metadataTtlMs?: number;
  readonly now?: () => Date;
}

interface WhoAmIResponse {
  readonly UserId: string;
  readonly BusinessUnitId: string;
  readonly OrganizationId: string;
}

interface PicklistMetadata {
  readonly OptionSet?: {
    readonly Options?: readonly { Value: number; Label?: { UserLocalizedLabel?: { Label?: string } } }[];
  };
}

/** The Dynamics 365 connector behind the app's CrmGateway port. */
export class DynamicsGateway implements CrmGateway {
  private readonly dispatcher: Dispatcher;
  private readonly metadataCache = new Map<string, { at: number; options: CrmChoice[] }>();

  constructor(private readonly options: DynamicsGatewayOptions) {
    this.dispatcher = createDispatcher(options.extraCaPem);
  }

  normalizeEnvironmentUrl(url: string): string {
    return normalizeEnvironmentUrl(url, this.options.allowedHosts ?? []);
  }

  async testConnection(connection: CrmConnection, credentials: CrmCredentials): Promise<CrmIdentity> {
    const http = this.applicationClient(connection, credentials);
    return this.identity(http);
  }

  async choiceOptions(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: string,
    column: string,
  ): Promise<CrmChoice[]> {
    const key = `${connection.id}:${table}.${column}`;
    const ttl = this.options.metadataTtlMs ?? 10 * 60_000;
    const cached = this.metadataCache.get(key);
    if (cached && Date.now() - cached.at < ttl) return cached.options;
    const http = this.applicationClient(connection, credentials);
    const path = `EntityDefinitions(LogicalName='${escapeLiteral(table)}')/Attributes(LogicalName='${escapeLiteral(column)}')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)`;
    const { body } = await http.get<PicklistMetadata>(path);
    const options = (body.OptionSet?.Options ?? []).map((o) => ({
      value: o.Value,
      label: o.Label?.UserLocalizedLabel?.Label ?? String(o.Value),
    }));
    this.metadataCache.set(key, { at: Date.now(), options });
    return options;
  }

  async beginUserSignIn(
    connection: CrmConnection,
    credentials: CrmCredentials,
    request: { userId: string; redirectUri: string; state: string },
  ): Promise<{ url: string; codeVerifier: string }> {
    const client = confidentialClientFor(this.entraOptions(connection, credentials), request.userId);
    return authorizationUrl(client, connection.environmentUrl, request.redirectUri, request.state);
  }

  async completeUserSignIn(
    connection: CrmConnection,
    credentials: CrmCredentials,
    request: { userId: string; code: string; redirectUri: string; codeVerifier: string },
  ): Promise<CrmIdentity> {
    const client = confidentialClientFor(this.entraOptions(connection, credentials), request.userId);
    const token = await redeemAuthorizationCode(client, connection.environmentUrl, request);
    const identity = await this.identity(this.http(connection, async () => token));
    if (connection.organizationId && identity.organizationId !== connection.organizationId) {
      // Not this organisation's user: forget the tokens we just stored for them.
      await this.options.tokenCaches.delete({ connectionId: connection.id, userId: request.userId });
    }
    return identity;
  }

  private async identity(http: DataverseHttpClient): Promise<CrmIdentity> {
    const { body } = await http.get<WhoAmIResponse>('WhoAmI');
    if (!body?.UserId || !body.OrganizationId)
      throw new LeadbridgeError(
        'crm_validation_failed',
        'The environment answered WhoAmI without a user or organisation.',
      );
    const user = await http
      .get<{ fullname?: string }>(`systemusers(${body.UserId})?$select=fullname`)
      .catch(() => undefined);
    return {
      userId: body.UserId,
      businessUnitId: body.BusinessUnitId,
      organizationId: body.OrganizationId,
      ...(user?.body.fullname ? { userFullName: user.body.fullname } : {}),
    };
  }

  private entraOptions(connection: CrmConnection, credentials: CrmCredentials) {
    const host = new URL(connection.environmentUrl).host;
    const local = (this.options.allowedHosts ?? []).includes(host);
    return {
      connection,
      credentials,
      authorityHost: local
        ? new URL(connection.environmentUrl).origin
        : (this.options.authorityHost ?? 'https://login.microsoftonline.com'),
      dispatcher: this.dispatcher,
      tokenCaches: this.options.tokenCaches,
    };
  }

  private applicationClient(connection: CrmConnection, credentials: CrmCredentials): DataverseHttpClient {
    const client = confidentialClientFor(this.entraOptions(connection, credentials));
    return this.http(
      connection,
      () => applicationToken(client, connection.environmentUrl),
      () => applicationToken(client, connection.environmentUrl, true),
    );
  }

  private http(
    connection: CrmConnection,
    accessToken: () => Promise<string>,
    refreshToken?: () => Promise<string>,
  ) {
    return new DataverseHttpClient({
      environmentUrl: connection.environmentUrl,
      connectionId: connection.id,
      accessToken,
      ...(refreshToken ? { refreshToken } : {}),
      dispatcher: this.dispatcher,
      requestCounter: this.options.requestCounter,
      ...(this.options.dailyWarningThreshold !== undefined
        ? { dailyWarningThreshold: this.options.dailyWarningThreshold }
        : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
      ...(this.options.retry ? { retry: this.options.retry } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
    });
  }
}

/** OData string literals double their single quotes: values never break out of a `$filter` or key. */
export function escapeLiteral(value: string): string {
  return value.replaceAll("'", "''");
}
