import { X509Certificate, createPrivateKey } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  LogLevel,
  type AccountInfo,
  type Configuration,
  type ICachePlugin,
} from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import type { CrmCredentials, TokenCacheKey, TokenCacheStore } from '../../domain/index.js';
import { LeadbridgeError } from '../../shared/errors.js';
import type { ConnectorLogger } from './connector-logger.js';
import { DataverseError } from './dataverse-error.js';
import { mapEntraFailure } from './entra-error-mapping.js';
import { MsalNetworkClient } from './msal-network-client.js';
import { backoffDelayMs } from './retry-decision.js';

/** Where a Dataverse client gets its bearer tokens: the application user's, or one person's. */
export interface AccessTokenSource {
  /** `forceRefresh` skips the cache: Dataverse just refused the cached token (401). */
  accessToken(options: { readonly forceRefresh: boolean }): Promise<string>;
}

/** The app registration a connection authenticates as. Exactly one credential is used. */
export interface EntraAppRegistration {
  readonly tenantId: string;
  readonly clientId: string;
  readonly credentials: CrmCredentials;
  /** SHA-1 thumbprint (hex) when only the private key, not the certificate, is at hand. */
  readonly certificateThumbprint?: string;
}

export interface EntraClientOptions {
  readonly connectionId: string;
  readonly registration: EntraAppRegistration;
  /** Normalised `https://host/` of the environment: the resource tokens are for. */
  readonly environmentUrl: string;
  /** Entra ID origin, `https://login.microsoftonline.com` for the public cloud, or an emulator's. */
  readonly authorityOrigin: string;
  readonly dispatcher: Dispatcher;
  readonly tokenCaches?: TokenCacheStore;
  readonly logger: ConnectorLogger;
  /** Attempts for a token request that got no answer (refused, reset, timeout). Default 3. */
  readonly transportAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** MSAL's cache, read before and written after every access, so all processes share one copy. */
export function tokenCachePlugin(
  store: TokenCacheStore,
  key: TokenCacheKey,
  logger: ConnectorLogger,
): ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      const serialized = await store.load(key);
      // Nothing stored means nothing signed in (an admin may have revoked it): empty the in-memory
      // cache too, or this process would go on using, and saving back, the revoked refresh token.
      context.tokenCache.deserialize(serialized !== undefined && serialized !== '' ? serialized : '{}');
    },
    async afterCacheAccess(context) {
      if (!context.cacheHasChanged) return;
      try {
        await store.save(key, context.tokenCache.serialize());
      } catch (error) {
        // The token in hand still works; the next process will simply fetch its own.
        logger.warn(
          { connectionId: key.connectionId, err: error instanceof Error ? error.message : String(error) },
          'token cache could not be stored',
        );
      }
    },
  };
}

/** msal expects PKCS#8 (`BEGIN PRIVATE KEY`); admins often hold PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
function pkcs8(privateKeyPem: string): string {
  if (privateKeyPem.includes('-----BEGIN PRIVATE KEY-----')) return privateKeyPem;
  try {
    return createPrivateKey(privateKeyPem).export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch {
    throw new DataverseError(
      'crm_auth_failed',
      'The private key of the certificate cannot be read.',
      undefined,
    );
  }
}

function clientCredential(
  registration: EntraAppRegistration,
): Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate'> {
  const { clientSecret, certificatePem, privateKeyPem } = registration.credentials;
  if (clientSecret !== undefined && clientSecret !== '') return { clientSecret };
  if (privateKeyPem !== undefined && privateKeyPem !== '') {
    const privateKey = pkcs8(privateKeyPem);
    if (certificatePem !== undefined && certificatePem !== '') {
      let thumbprintSha256: string;
      try {
        thumbprintSha256 = new X509Certificate(certificatePem).fingerprint256.replaceAll(':', '');
      } catch {
        throw new DataverseError(
          'crm_auth_failed',
          'The certificate cannot be read (PEM expected).',
          undefined,
        );
      }
      // SHA-256 thumbprints sign with PS256 (x5t#S256), what Entra recommends over SHA-1.
      return { clientCertificate: { thumbprintSha256, privateKey } };
    }
    if (registration.certificateThumbprint !== undefined)
      return {
        clientCertificate: { thumbprint: registration.certificateThumbprint.replaceAll(':', ''), privateKey },
      };
  }
  throw new DataverseError(
    'crm_auth_failed',
    'The connection has neither a client secret nor a certificate with its private key.',
    undefined,
  );
}

/** A confidential client for one connection (and, with a user in `cacheKey`, one person's cache). */
export function createConfidentialClient(
  options: EntraClientOptions,
  cacheKey: TokenCacheKey,
): { readonly client: ConfidentialClientApplication; readonly network: MsalNetworkClient } {
  const network = new MsalNetworkClient(options.dispatcher, options.logger);
  const authority = new URL(options.authorityOrigin);
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: options.registration.clientId,
      authority: `${authority.origin}/${options.registration.tenantId}`,
      // A known authority makes msal build cloud-discovery metadata from the host itself instead of
      // asking login.microsoftonline.com/common/discovery/instance (msal-common isInKnownAuthorities).
      knownAuthorities: [authority.host],
      ...clientCredential(options.registration),
    },
    system: {
      networkClient: network,
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (_level, message) => options.logger.debug?.({ service: 'msal' }, message),
      },
    },
    ...(options.tokenCaches
      ? { cache: { cachePlugin: tokenCachePlugin(options.tokenCaches, cacheKey, options.logger) } }
      : {}),
  });
  return { client, network };
}

/** Runs an Entra call, retrying only when no answer came back, and maps failures to our catalogue. */
async function entraCall<T>(
  options: EntraClientOptions,
  network: MsalNetworkClient,
  call: () => Promise<T>,
): Promise<T> {
  const attempts = options.transportAttempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const mapped = mapEntraFailure(error, {
        authorityOrigin: options.authorityOrigin,
        ...(network.lastFailure !== undefined ? { recentTransportFailure: network.lastFailure } : {}),
      });
      const transient =
        mapped.code === 'crm_unreachable' &&
        network.lastFailure !== undefined &&
        ['timeout', 'refused', 'reset', 'dns_temporary'].includes(network.lastFailure.kind);
      if (!transient || attempt >= attempts) throw mapped;
      await sleep(
        backoffDelayMs(attempt, { baseDelayMs: 250, maxDelayMs: 2000 }, options.random ?? Math.random),
      );
    }
  }
}

export function applicationScopes(environmentUrl: string): string[] {
  return [`${environmentUrl}.default`];
}

/** `<env>/user_impersonation` plus `offline_access`, so a refresh token comes back (§8). */
export function delegatedScopes(environmentUrl: string): string[] {
  return [`${environmentUrl}user_impersonation`, 'offline_access'];
}

/**
 * Tokens of the connection's application user (client credentials, scope `<env>/.default`), for
 * background work. MSAL caches them in memory and, through {@link TokenCacheStore}, in the store.
 */
export class ApplicationTokenSource implements AccessTokenSource {
  private readonly client: ConfidentialClientApplication;
  private readonly network: MsalNetworkClient;

  constructor(private readonly options: EntraClientOptions) {
    ({ client: this.client, network: this.network } = createConfidentialClient(options, {
      connectionId: options.connectionId,
    }));
  }

  async accessToken({ forceRefresh }: { readonly forceRefresh: boolean }): Promise<string> {
    const result = await entraCall(this.options, this.network, () =>
      this.client.acquireTokenByClientCredential({
        scopes: applicationScopes(this.options.environmentUrl),
        skipCache: forceRefresh,
      }),
    );
    if (!result?.accessToken)
      throw new DataverseError('crm_auth_failed', 'Entra ID returned no access token.', undefined);
    return result.accessToken;
  }
}

/**
 * One person's delegated tokens for one connection: redeemed from an authorization code once, then
 * refreshed silently from the refresh token in their (persisted) cache.
 */
export class DelegatedTokenSource implements AccessTokenSource {
  readonly client: ConfidentialClientApplication;
  readonly network: MsalNetworkClient;

  constructor(
    private readonly options: EntraClientOptions,
    readonly userId: string,
  ) {
    ({ client: this.client, network: this.network } = createConfidentialClient(options, {
      connectionId: options.connectionId,
      userId,
    }));
  }

  /** The signed-in account in this person's cache, if any. */
  async account(): Promise<AccountInfo | undefined> {
    const accounts = await this.client.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  async accessToken({ forceRefresh }: { readonly forceRefresh: boolean }): Promise<string> {
    const account = await this.account();
    if (account === undefined)
      throw new LeadbridgeError(
        'crm_reauthorization_needed',
        'This person has not signed in to the Dynamics 365 environment yet (or their sign-in was removed).',
      );
    const result = await entraCall(this.options, this.network, () =>
      this.client.acquireTokenSilent({
        account,
        scopes: [`${this.options.environmentUrl}user_impersonation`],
        forceRefresh,
      }),
    );
    return result.accessToken;
  }

  /** The authorization URL with a fresh PKCE pair (S256); keep `codeVerifier` server-side until the redirect. */
  async authorizationUrl(request: {
    readonly redirectUri: string;
    readonly state: string;
    readonly loginHint?: string;
  }): Promise<{ readonly url: string; readonly codeVerifier: string }> {
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await entraCall(this.options, this.network, () =>
      this.client.getAuthCodeUrl({
        scopes: delegatedScopes(this.options.environmentUrl),
        redirectUri: request.redirectUri,
        state: request.state,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        prompt: 'select_account',
        ...(request.loginHint !== undefined ? { loginHint: request.loginHint } : {}),
      }),
    );
    return { url, codeVerifier: verifier };
  }

  /** Redeems the code; MSAL keeps the refresh token in this person's cache. */
  async redeem(request: {
    readonly code: string;
    readonly redirectUri: string;
    readonly codeVerifier: string;
  }): Promise<AccountInfo> {
    const result = await entraCall(this.options, this.network, () =>
      this.client.acquireTokenByCode({
        code: request.code,
        scopes: delegatedScopes(this.options.environmentUrl),
        redirectUri: request.redirectUri,
        codeVerifier: request.codeVerifier,
      }),
    );
    if (result.account === null)
      throw new DataverseError('crm_auth_failed', 'Entra ID returned no account for the sign-in.', undefined);
    // One person, one CRM identity: signing in as another account replaces the previous one.
    const cache = this.client.getTokenCache();
    for (const account of await cache.getAllAccounts())
      if (account.homeAccountId !== result.account.homeAccountId) await cache.removeAccount(account);
    return result.account;
  }

  /** Forgets this person's tokens, in memory and in the store. */
  async forget(): Promise<void> {
    const cache = this.client.getTokenCache();
    for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    await this.options.tokenCaches?.delete({ connectionId: this.options.connectionId, userId: this.userId });
  }
}
