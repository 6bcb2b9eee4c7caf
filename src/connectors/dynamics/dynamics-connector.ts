import { createHash } from 'node:crypto';
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
import type { ConcurrencyBudgetRegistry } from './concurrency-budget.js';
import { processConcurrencyBudgets } from './concurrency-budget.js';
import type { ConnectionStatusReport } from './connection-status.js';
import { testConnection, type ConnectionTestResult } from './connection-test.js';
import { silentLogger, type ConnectorLogger } from './connector-logger.js';
import { DataverseClient } from './dataverse-client.js';
import { DataverseError } from './dataverse-error.js';
import {
  ApplicationTokenSource,
  DelegatedTokenSource,
  type AccessTokenSource,
  type EntraClientOptions,
} from './entra-token-provider.js';
import { dataverseCloudOf, normalizeEnvironmentUrl } from './environment-url.js';
import { createDispatcher } from './http-transport.js';
import { DynamicsRecordGateway, type RecordGatewayOptions } from './record-gateway.js';
import type { RequestUsage } from './request-meter.js';
import type { RetryPolicy } from './retry-decision.js';

export interface DynamicsConnectorOptions {
  /** Where MSAL's caches are persisted (the store encrypts them). Without it tokens live in memory only. */
  readonly tokenCaches?: TokenCacheStore;
  readonly requestCounter?: RequestCounter;
  /** Hosts besides Dataverse's accepted as environments: local emulators (`127.0.0.1:8443`). */
  readonly allowedHosts?: readonly string[];
  /** Accept any loopback host as an environment (the demo's emulators on free ports). */
  readonly allowLoopback?: boolean;
  /** A CA trusted for environments and their Entra authority besides the public roots (an emulator's). */
  readonly extraCaPem?: string;
  /**
   * Entra ID origin for real tenants; by default the environment's cloud decides
   * (login.microsoftonline.com, .us, chinacloudapi.cn). An allowed local host serves its own at its origin.
   */
  readonly authorityHost?: string;
  /** Requests per connection and UTC day after which a warning is logged once and shown. */
  readonly dailyWarningThreshold?: number;
  readonly logger?: ConnectorLogger;
  readonly retry?: Partial<RetryPolicy>;
  readonly metadataTtlMs?: number;
  /** Cap of the per-environment concurrency budget; default 48 (Dataverse allows 52 per user). */
  readonly maxConcurrentRequests?: number;
  readonly concurrencyBudgets?: ConcurrencyBudgetRegistry;
  readonly requestTimeoutMs?: number;
  /** Lookup paging and splitting, bulk chunk sizes, and how hard to look for refused records. */
  readonly records?: RecordGatewayOptions;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** The user's side of a delegated sign-in; the app keeps `codeVerifier` until the redirect comes back. */
export interface SignInStart {
  readonly url: string;
  readonly codeVerifier: string;
}

/**
 * The Dynamics 365 connector: builds one Dataverse client per connection (application user) and per
 * signed-in person, with MSAL clients whose caches go to the store, one undici dispatcher (with the
 * configured CA) and the process-wide concurrency budgets. It implements the app's {@link CrmGateway}
 * and, as `records` (record-gateway.ts), its CrmRecordGateway.
 */
export class DynamicsConnector implements CrmGateway {
  private readonly dispatcher: Dispatcher;
  /** The bulk record port (CrmRecordGateway) for this connector's environments. */
  readonly records: DynamicsRecordGateway;
  private readonly logger: ConnectorLogger;
  private readonly clients = new Map<
    string,
    { readonly fingerprint: string; readonly client: DataverseClient }
  >();
  private readonly userSources = new Map<
    string,
    { readonly fingerprint: string; readonly source: DelegatedTokenSource }
  >();

  constructor(private readonly options: DynamicsConnectorOptions = {}) {
    this.dispatcher = createDispatcher(options.extraCaPem !== undefined ? { caPem: options.extraCaPem } : {});
    this.logger = options.logger ?? silentLogger;
    this.records = new DynamicsRecordGateway(
      (connection, credentials) => this.client(connection, credentials),
      options.records ?? {},
    );
  }

  normalizeEnvironmentUrl(url: string): string {
    return normalizeEnvironmentUrl(url, this.urlOptions());
  }

  /** The connection's client as its application user (client credentials): background work. */
  client(connection: CrmConnection, credentials: CrmCredentials): DataverseClient {
    const fingerprint = this.fingerprint(connection, credentials);
    const cached = this.clients.get(connection.id);
    if (cached?.fingerprint === fingerprint) return cached.client;
    const environmentUrl = this.normalizeEnvironmentUrl(connection.environmentUrl);
    const client = this.dataverseClient(
      connection,
      environmentUrl,
      new ApplicationTokenSource(this.entraOptions(connection, credentials, environmentUrl)),
    );
    this.clients.set(connection.id, { fingerprint, client });
    return client;
  }

  /** A signed-in person's client for the connection (their own Dynamics 365 permissions apply). */
  userClient(connection: CrmConnection, credentials: CrmCredentials, userId: string): DataverseClient {
    const environmentUrl = this.normalizeEnvironmentUrl(connection.environmentUrl);
    return this.dataverseClient(connection, environmentUrl, this.userSource(connection, credentials, userId));
  }

  /** Token + WhoAmI + the application user's name. */
  async testConnection(
    connection: CrmConnection,
    credentials: CrmCredentials,
  ): Promise<ConnectionTestResult> {
    return testConnection(this.client(connection, credentials));
  }

  async choiceOptions(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: string,
    column: string,
  ): Promise<CrmChoice[]> {
    return [...(await this.client(connection, credentials).choiceOptions(table, column))];
  }

  /** The authorization URL (code + PKCE) for a person's own sign-in to the connection's environment. */
  async beginUserSignIn(
    connection: CrmConnection,
    credentials: CrmCredentials,
    request: {
      readonly userId: string;
      readonly redirectUri: string;
      readonly state: string;
      readonly loginHint?: string;
    },
  ): Promise<SignInStart> {
    return this.userSource(connection, credentials, request.userId).authorizationUrl(request);
  }

  /**
   * Redeems the code, then asks WhoAmI as the person: a sign-in that lands in another organisation
   * than the connection's is refused with `crm_wrong_environment` and its tokens are forgotten.
   * The connection's organisation is the one its last test found, or the application user's now.
   */
  async completeUserSignIn(
    connection: CrmConnection,
    credentials: CrmCredentials,
    request: {
      readonly userId: string;
      readonly code: string;
      readonly redirectUri: string;
      readonly codeVerifier: string;
    },
  ): Promise<CrmIdentity> {
    const source = this.userSource(connection, credentials, request.userId);
    await source.redeem(request);
    let identity: ConnectionTestResult;
    try {
      identity = await testConnection(this.userClient(connection, credentials, request.userId));
    } catch (error) {
      await source.forget();
      throw error;
    }
    const expected =
      connection.organizationId ?? (await this.testConnection(connection, credentials)).organizationId;
    if (identity.organizationId.toLowerCase() !== expected.toLowerCase()) {
      await source.forget();
      throw new DataverseError(
        'crm_wrong_environment',
        `You signed in to organisation ${identity.organizationId}, but the connection "${connection.name}" ` +
          `(${identity.environmentUrl}) belongs to organisation ${expected}. Sign in with an account of that organisation.`,
        { code: 'organization_mismatch', message: `expected ${expected}, got ${identity.organizationId}` },
      );
    }
    return identity;
  }

  /** Forgets a person's tokens for a connection (sign-out), in memory and in the store. */
  async signOut(connection: CrmConnection, credentials: CrmCredentials, userId: string): Promise<void> {
    await this.userSource(connection, credentials, userId).forget();
    this.userSources.delete(`${connection.id}/${userId}`);
  }

  /** The status of the connection from its application client's last call (`untested` before any). */
  connectionStatus(connectionId: string): ConnectionStatusReport {
    return this.clients.get(connectionId)?.client.connectionStatus() ?? { status: 'untested' };
  }

  async requestUsage(connection: CrmConnection, credentials: CrmCredentials): Promise<RequestUsage> {
    return this.client(connection, credentials).requestUsage();
  }

  /** Drops the cached clients of a connection (after it was edited, revoked or disconnected). */
  forget(connectionId: string): void {
    this.clients.delete(connectionId);
    for (const key of this.userSources.keys())
      if (key.startsWith(`${connectionId}/`)) this.userSources.delete(key);
  }

  async close(): Promise<void> {
    this.clients.clear();
    this.userSources.clear();
    await this.dispatcher.close();
  }

  private urlOptions() {
    return {
      ...(this.options.allowedHosts ? { allowedHosts: this.options.allowedHosts } : {}),
      ...(this.options.allowLoopback !== undefined ? { allowLoopback: this.options.allowLoopback } : {}),
    };
  }

  /** Changes when anything that decides where and as whom we connect changes; secrets only as a digest. */
  private fingerprint(connection: CrmConnection, credentials: CrmCredentials): string {
    return createHash('sha256')
      .update(
        JSON.stringify([
          connection.environmentUrl,
          connection.tenantId,
          connection.clientId,
          connection.certificateThumbprint ?? '',
          credentials.clientSecret ?? '',
          credentials.certificatePem ?? '',
          credentials.privateKeyPem ?? '',
        ]),
      )
      .digest('base64url');
  }

  private authorityOrigin(environmentUrl: string): string {
    const cloud = dataverseCloudOf(environmentUrl);
    if (cloud.name === 'local') return cloud.authorityOrigin;
    return this.options.authorityHost !== undefined
      ? new URL(this.options.authorityHost).origin
      : cloud.authorityOrigin;
  }

  private entraOptions(
    connection: CrmConnection,
    credentials: CrmCredentials,
    environmentUrl: string,
  ): EntraClientOptions {
    return {
      connectionId: connection.id,
      registration: {
        tenantId: connection.tenantId,
        clientId: connection.clientId,
        credentials,
        ...(connection.certificateThumbprint !== undefined
          ? { certificateThumbprint: connection.certificateThumbprint }
          : {}),
      },
      environmentUrl,
      authorityOrigin: this.authorityOrigin(environmentUrl),
      dispatcher: this.dispatcher,
      ...(this.options.tokenCaches ? { tokenCaches: this.options.tokenCaches } : {}),
      logger: this.logger,
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      ...(this.options.random ? { random: this.options.random } : {}),
    };
  }

  private userSource(
    connection: CrmConnection,
    credentials: CrmCredentials,
    userId: string,
  ): DelegatedTokenSource {
    const key = `${connection.id}/${userId}`;
    const fingerprint = this.fingerprint(connection, credentials);
    const cached = this.userSources.get(key);
    if (cached?.fingerprint === fingerprint) return cached.source;
    const environmentUrl = this.normalizeEnvironmentUrl(connection.environmentUrl);
    const source = new DelegatedTokenSource(
      this.entraOptions(connection, credentials, environmentUrl),
      userId,
    );
    this.userSources.set(key, { fingerprint, source });
    return source;
  }

  private dataverseClient(
    connection: CrmConnection,
    environmentUrl: string,
    tokens: AccessTokenSource,
  ): DataverseClient {
    const o = this.options;
    return new DataverseClient({
      environmentUrl,
      connectionId: connection.id,
      tokens,
      ...this.urlOptions(),
      dispatcher: this.dispatcher,
      concurrencyBudgets: o.concurrencyBudgets ?? processConcurrencyBudgets,
      ...(o.maxConcurrentRequests !== undefined ? { maxConcurrentRequests: o.maxConcurrentRequests } : {}),
      ...(o.requestCounter ? { requestCounter: o.requestCounter } : {}),
      ...(o.dailyWarningThreshold !== undefined
        ? { dailyRequestWarningThreshold: o.dailyWarningThreshold }
        : {}),
      logger: this.logger,
      ...(o.retry ? { retry: o.retry } : {}),
      ...(o.metadataTtlMs !== undefined ? { metadataTtlMs: o.metadataTtlMs } : {}),
      ...(o.requestTimeoutMs !== undefined ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
      ...(o.now ? { now: o.now } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.random ? { random: o.random } : {}),
    });
  }
}
