import {
  ConfidentialClientApplication,
  CryptoProvider,
  type ICachePlugin,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { CrmConnection, CrmCredentials, TokenCacheKey, TokenCacheStore } from '../../domain/index.js';
import { LeadbridgeError } from '../../shared/errors.js';
import { mapEntraFailure } from './dataverse-error-mapping.js';

export interface EntraClientOptions {
  readonly connection: CrmConnection;
  readonly credentials: CrmCredentials;
  /** e.g. https://login.microsoftonline.com, or a local emulator's origin. */
  readonly authorityHost: string;
  readonly dispatcher: Dispatcher;
  readonly tokenCaches?: TokenCacheStore;
}

/**
 * msal-node 5+ sends its requests through the global fetch and has no CA option; a custom
 * `system.networkClient` (a documented MSAL option) sends them through our dispatcher instead, so a
 * connection to a local emulator trusts that emulator's CA and nothing process-wide changes.
 */
function networkClientFor(dispatcher: Dispatcher): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const response = await undiciFetch(url, {
      method,
      dispatcher,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    let body: unknown = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: text.slice(0, 200) };
    }
    return { status: response.status, headers, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** MSAL's cache, persisted (encrypted by the store) per connection and per user. */
function cachePluginFor(store: TokenCacheStore, key: TokenCacheKey): ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      const serialized = await store.load(key);
      if (serialized) context.tokenCache.deserialize(serialized);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) await store.save(key, context.tokenCache.serialize());
    },
  };
}

/** A confidential client for one connection; with `userId`, its cache holds that person's tokens. */
export function confidentialClientFor(
  options: EntraClientOptions,
  userId?: string,
): ConfidentialClientApplication {
  const { connection, credentials } = options;
  const authorityUrl = new URL(options.authorityHost);
  const clientCredential = credentials.clientSecret
    ? { clientSecret: credentials.clientSecret }
    : credentials.certificatePem && credentials.privateKeyPem && connection.certificateThumbprint
      ? {
          clientCertificate: {
            thumbprint: connection.certificateThumbprint,
            privateKey: credentials.privateKeyPem,
            x5c: credentials.certificatePem,
          },
        }
      : undefined;
  if (!clientCredential)
    throw new LeadbridgeError(
      'crm_reauthorization_needed',
      'The connection has no credentials; add them again.',
    );
  return new ConfidentialClientApplication({
    auth: {
      clientId: connection.clientId,
      authority: `${authorityUrl.origin}/${connection.tenantId}`,
      // A known authority skips Microsoft's instance discovery call (msal-common isInKnownAuthorities).
      knownAuthorities: [authorityUrl.host],
      ...clientCredential,
    },
    system: { networkClient: networkClientFor(options.dispatcher) },
    ...(options.tokenCaches
      ? {
          cache: {
            cachePlugin: cachePluginFor(options.tokenCaches, {
              connectionId: connection.id,
              ...(userId !== undefined ? { userId } : {}),
            }),
          },
        }
      : {}),
  });
}

/** `<environment>/.default`: the application user's token (client credentials). */
export async function applicationToken(
  client: ConfidentialClientApplication,
  environmentUrl: string,
  forceRefresh = false,
): Promise<string> {
  try {
    const result = await client.acquireTokenByClientCredential({
      scopes: [`${environmentUrl}.default`],
      skipCache: forceRefresh,
    });
    if (!result?.accessToken)
      throw new LeadbridgeError('crm_auth_failed', 'Entra ID returned no access token.');
    return result.accessToken;
  } catch (error) {
    if (error instanceof LeadbridgeError) throw error;
    throw mapEntraFailure(error);
  }
}

export const delegatedScopes = (environmentUrl: string) => [
  `${environmentUrl}user_impersonation`,
  'offline_access',
];

/** The authorization URL for a person's sign-in, with a fresh PKCE pair (S256). */
export async function authorizationUrl(
  client: ConfidentialClientApplication,
  environmentUrl: string,
  redirectUri: string,
  state: string,
): Promise<{ url: string; codeVerifier: string }> {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  try {
    const url = await client.getAuthCodeUrl({
      scopes: delegatedScopes(environmentUrl),
      redirectUri,
      state,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      prompt: 'select_account',
    });
    return { url, codeVerifier: verifier };
  } catch (error) {
    throw mapEntraFailure(error);
  }
}

/** Redeems a code; MSAL keeps the refresh token in the user's (persisted) cache. */
export async function redeemAuthorizationCode(
  client: ConfidentialClientApplication,
  environmentUrl: string,
  request: { code: string; redirectUri: string; codeVerifier: string },
): Promise<string> {
  try {
    const result = await client.acquireTokenByCode({
      scopes: delegatedScopes(environmentUrl),
      code: request.code,
      redirectUri: request.redirectUri,
      codeVerifier: request.codeVerifier,
    });
    if (!result?.accessToken)
      throw new LeadbridgeError('crm_auth_failed', 'Entra ID returned no access token.');
    return result.accessToken;
  } catch (error) {
    if (error instanceof LeadbridgeError) throw error;
    throw mapEntraFailure(error);
  }
}
