/**
 * Contract: the real, unmodified @azure/msal-node against the Entra emulator over HTTPS on 127.0.0.1.
 *
 * Offline by configuration: `knownAuthorities: ['127.0.0.1:<port>']` makes msal build the cloud-discovery
 * metadata from the host itself instead of calling https://login.microsoftonline.com/common/discovery/instance
 * (msal-common Authority.getCloudDiscoveryMetadataFromConfig → isInKnownAuthorities); msal then reads
 * `<authority>/v2.0/.well-known/openid-configuration` from the emulator.
 *
 * TLS trust: msal-node v5+ sends every request with the global `fetch` and has no CA/agent option any
 * more (only a custom `system.networkClient`, which this test deliberately does not use), so trust is
 * process-wide: test/global-setup.ts creates the emulator CA and sets NODE_EXTRA_CA_CERTS before the
 * test workers start — exactly what a user does with the line the emulator prints.
 */
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  LogLevel,
  type AuthenticationResult,
  type Configuration,
} from '@azure/msal-node';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearerTokenFromHeader,
  createSigningKeys,
  demoEntraDirectoryInput,
  ensureTlsCertificate,
  parseEntraDirectory,
  registerEntraRoutes,
  verifyAccessToken,
  wwwAuthenticateHeader,
  type EntraControl,
  type EntraDirectory,
  type SigningKeys,
} from '../../src/emulators/dataverse/entra/index.js';

const REDIRECT_URI = 'http://localhost:53682/redirect';

let server: FastifyInstance<Server>;
let origin = '';
let directory: EntraDirectory;
let keys: SigningKeys;
let control: EntraControl;
let clientCert: { pem: string; privateKeyPem: string; sha1: string; sha256: string };
/** Every URL fetched in this file (msal-node included): proves nothing leaves 127.0.0.1. */
const fetchedUrls: string[] = [];
const realFetch = globalThis.fetch;

const environmentUrl = (): string => `${origin}/`;

function app(): EntraDirectory['applications'][number] {
  const registration = directory.applications[0];
  if (registration === undefined) throw new Error('demo directory has no app');
  return registration;
}

function msal(auth: Partial<Configuration['auth']>): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: app().clientId,
      authority: `${origin}/${directory.tenantId}`,
      knownAuthorities: [new URL(origin).host],
      ...auth,
    },
    system: {
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  });
}

async function verify(token: string) {
  return verifyAccessToken(token, { keys, audience: environmentUrl(), now: () => Date.now(), directory });
}

async function whoAmI(token: string | undefined): Promise<Response> {
  return fetch(`${origin}/whoami`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

function secret(): string {
  const value = app().clientSecrets[0]?.secretText;
  if (value === undefined) throw new Error('demo app has no secret');
  return value;
}

async function rejection(
  promise: Promise<unknown>,
): Promise<{ errorCode: string; errorNo: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const record = error as { errorCode?: unknown; errorNo?: unknown; errorMessage?: unknown };
    return {
      errorCode: String(record.errorCode),
      errorNo: String(record.errorNo),
      message: String(record.errorMessage),
    };
  }
  throw new Error('expected the call to fail');
}

/** Plays the browser: open the authorize URL, pick the user, follow the redirect to the app. */
async function signIn(authUrl: string, userPrincipalName: string): Promise<URL> {
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const flowToken = /name="flowToken" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const user = directory.users.find((candidate) => candidate.userPrincipalName === userPrincipalName);
  expect(flowToken).toBeDefined();
  expect(action).toBeDefined();
  expect(html).toContain(`value="${user?.objectId ?? 'missing'}"`);
  const submitted = await fetch(new URL(action ?? '', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ flowToken: flowToken ?? '', user: user?.objectId ?? '' }),
    redirect: 'manual',
  });
  expect(submitted.status).toBe(302);
  return new URL(submitted.headers.get('location') ?? '');
}

beforeAll(async () => {
  globalThis.fetch = (input, init) => {
    fetchedUrls.push(input instanceof Request ? input.url : String(input));
    return realFetch(input, init);
  };
  const tls = await ensureTlsCertificate(process.env['LEADBRIDGE_TEST_TLS_DIR']);
  keys = await createSigningKeys();

  const generated = await generate([{ name: 'commonName', value: 'leadbridge contract test client' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  const x509 = new X509Certificate(generated.cert);
  clientCert = {
    pem: generated.cert,
    privateKeyPem: generated.private,
    sha1: x509.fingerprint.replaceAll(':', ''),
    sha256: x509.fingerprint256.replaceAll(':', ''),
  };
  const input = demoEntraDirectoryInput(7);
  const [demoApp, ...otherApps] = input.applications ?? [];
  if (demoApp === undefined) throw new Error('demo directory has no app');
  directory = parseEntraDirectory({
    ...input,
    applications: [
      { ...demoApp, certificates: [{ certificatePem: clientCert.pem, thumbprint: clientCert.sha1 }] },
      ...otherApps,
    ],
  });

  server = Fastify({ https: { key: tls.keyPem, cert: tls.certPem } });
  control = registerEntraRoutes(server, {
    directory,
    keys,
    issuerOrigin: () => origin,
    environmentUrl,
    now: () => Date.now(),
  });
  server.get('/whoami', async (request, reply) => {
    const result = await verifyAccessToken(bearerTokenFromHeader(request.headers.authorization), {
      keys,
      audience: environmentUrl(),
      now: () => Date.now(),
      directory,
    });
    if (!result.ok) {
      return reply
        .code(401)
        .header('www-authenticate', wwwAuthenticateHeader(directory.tenantId, origin, environmentUrl()))
        .send({ reason: result.reason });
    }
    return result.principal;
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  origin = `https://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await server?.close();
});

describe('client credentials (application user)', () => {
  it('issues a token for <environment>/.default with a client secret', async () => {
    const result = await msal({ clientSecret: secret() }).acquireTokenByClientCredential({
      scopes: [`${environmentUrl()}.default`],
    });
    expect(result?.tokenType).toBe('Bearer');
    const verified = await verify(result?.accessToken ?? '');
    expect(verified).toEqual({
      ok: true,
      principal: { kind: 'application', clientId: app().clientId, systemUserId: app().systemUserId },
    });
    const response = await whoAmI(result?.accessToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: 'application', systemUserId: app().systemUserId });
  });

  it('issues a token with a certificate named by its SHA-1 thumbprint (RS256, x5t)', async () => {
    const result = await msal({
      clientCertificate: { thumbprint: clientCert.sha1, privateKey: clientCert.privateKeyPem },
    }).acquireTokenByClientCredential({ scopes: [`${environmentUrl()}.default`] });
    const verified = await verify(result?.accessToken ?? '');
    expect(verified.ok && verified.principal.kind).toBe('application');
  });

  it('issues a token with a certificate named by its SHA-256 thumbprint (PS256, x5t#S256)', async () => {
    const result = await msal({
      clientCertificate: { thumbprintSha256: clientCert.sha256, privateKey: clientCert.privateKeyPem },
    }).acquireTokenByClientCredential({ scopes: [`${environmentUrl()}.default`] });
    expect((await verify(result?.accessToken ?? '')).ok).toBe(true);
  });

  it('rejects a certificate that is not registered (AADSTS700027)', async () => {
    const other = await generate([{ name: 'commonName', value: 'unregistered' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const thumbprint = new X509Certificate(other.cert).fingerprint.replaceAll(':', '');
    const failure = await rejection(
      msal({ clientCertificate: { thumbprint, privateKey: other.private } }).acquireTokenByClientCredential({
        scopes: [`${environmentUrl()}.default`],
      }),
    );
    expect(failure).toMatchObject({ errorCode: 'invalid_client', errorNo: '700027' });
  });

  it('surfaces a wrong secret as msal ServerError invalid_client / AADSTS7000215', async () => {
    const failure = await rejection(
      msal({ clientSecret: 'not-the-secret' }).acquireTokenByClientCredential({
        scopes: [`${environmentUrl()}.default`],
      }),
    );
    expect(failure.errorCode).toBe('invalid_client');
    expect(failure.errorNo).toBe('7000215');
    expect(failure.message).toContain('AADSTS7000215: Invalid client secret provided.');
    expect(failure.message).toContain(`for a secret added to app '${app().clientId}'`);
  });

  it('rejects a disabled secret and a scope for another resource', async () => {
    const keyId = app().clientSecrets[0]?.keyId ?? '';
    control.disableClientSecret(app().clientId, keyId);
    try {
      const disabled = await rejection(
        msal({ clientSecret: secret() }).acquireTokenByClientCredential({
          scopes: [`${environmentUrl()}.default`],
        }),
      );
      expect(disabled.errorNo).toBe('7000215');
    } finally {
      control.enableClientSecret(app().clientId, keyId);
    }
    const otherResource = await rejection(
      msal({ clientSecret: secret() }).acquireTokenByClientCredential({
        scopes: ['https://graph.microsoft.com/.default'],
      }),
    );
    expect(otherResource).toMatchObject({ errorCode: 'invalid_resource', errorNo: '500011' });
  });
});

describe('authorization code + PKCE (delegated user)', () => {
  const scopes = (): string[] => [`${environmentUrl()}user_impersonation`];
  const avery = (): EntraDirectory['users'][number] => {
    const user = directory.users[0];
    if (user === undefined) throw new Error('demo directory has no users');
    return user;
  };

  async function codeFlow(cca: ConfidentialClientApplication) {
    const pkce = await new CryptoProvider().generatePkceCodes();
    const state = 'contract-state-1';
    const authUrl = await cca.getAuthCodeUrl({
      scopes: scopes(),
      redirectUri: REDIRECT_URI,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      state,
      loginHint: avery().userPrincipalName,
    });
    expect(authUrl.startsWith(`${origin}/${directory.tenantId}/oauth2/v2.0/authorize?`)).toBe(true);
    const redirect = await signIn(authUrl, avery().userPrincipalName);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe(state);
    const code = redirect.searchParams.get('code') ?? '';
    const clientInfo = redirect.searchParams.get('client_info') ?? '';
    expect(JSON.parse(Buffer.from(clientInfo, 'base64url').toString('utf8'))).toEqual({
      uid: avery().objectId,
      utid: directory.tenantId,
    });
    return { code, state, clientInfo, verifier: pkce.verifier };
  }

  it('signs in, redeems the code, refreshes silently and by refresh token, and rejects a replayed code', async () => {
    const cca = msal({ clientSecret: secret() });
    const { code, state, clientInfo, verifier } = await codeFlow(cca);

    const first: AuthenticationResult = await cca.acquireTokenByCode(
      { code, scopes: scopes(), redirectUri: REDIRECT_URI, codeVerifier: verifier, state },
      { code, state, client_info: clientInfo },
    );
    expect(first.account?.username).toBe(avery().userPrincipalName);
    expect(first.account?.homeAccountId).toBe(`${avery().objectId}.${directory.tenantId}`);
    expect(first.idTokenClaims).toMatchObject({ tid: directory.tenantId, oid: avery().objectId });
    expect(await verify(first.accessToken)).toEqual({
      ok: true,
      principal: { kind: 'user', objectId: avery().objectId, systemUserId: avery().systemUserId },
    });
    expect((await whoAmI(first.accessToken)).status).toBe(200);

    const account = first.account;
    if (account === null) throw new Error('no account');
    const silent = await cca.acquireTokenSilent({ account, scopes: scopes(), forceRefresh: true });
    expect(silent.fromCache).toBe(false);
    expect(silent.accessToken).not.toBe(first.accessToken);
    expect((await verify(silent.accessToken)).ok).toBe(true);

    const cached = JSON.parse(cca.getTokenCache().serialize()) as {
      RefreshToken: Record<string, { secret: string }>;
    };
    const refreshToken = Object.values(cached.RefreshToken)[0]?.secret ?? '';
    expect(refreshToken).not.toBe('');
    const refreshed = await cca.acquireTokenByRefreshToken({ refreshToken, scopes: scopes() });
    expect((await verify(refreshed?.accessToken ?? '')).ok).toBe(true);

    const replay = await rejection(
      cca.acquireTokenByCode({ code, scopes: scopes(), redirectUri: REDIRECT_URI, codeVerifier: verifier }),
    );
    expect(replay).toMatchObject({ errorCode: 'invalid_grant', errorNo: '54005' });

    control.revokeRefreshTokens({ userObjectId: avery().objectId });
    const revoked = await rejection(cca.acquireTokenByRefreshToken({ refreshToken, scopes: scopes() }));
    expect(revoked).toMatchObject({ errorCode: 'invalid_grant', errorNo: '50173' });
  });

  it('rejects a code redeemed with the wrong PKCE verifier (AADSTS501481)', async () => {
    const cca = msal({ clientSecret: secret() });
    const { code } = await codeFlow(cca);
    const failure = await rejection(
      cca.acquireTokenByCode({
        code,
        scopes: scopes(),
        redirectUri: REDIRECT_URI,
        codeVerifier: 'wrong-verifier-wrong-verifier-wrong-verifier-0123',
      }),
    );
    expect(failure).toMatchObject({ errorCode: 'invalid_grant', errorNo: '501481' });
  });
});

describe('Dataverse-side token check', () => {
  it('answers a missing token with Dataverse’s WWW-Authenticate challenge', async () => {
    const response = await whoAmI(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri=${origin}/${directory.tenantId}/oauth2/authorize, resource_id=${origin}/`,
    );
  });

  it('rejects a token signed by another key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT({ appid: app().clientId })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid })
      .sign(createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })));
    const response = await whoAmI(forged);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ reason: 'bad_signature' });
  });
});

describe('offline', () => {
  it('never called anything but the emulator', () => {
    expect(fetchedUrls.length).toBeGreaterThan(10);
    expect(fetchedUrls.filter((url) => !url.startsWith(`${origin}/`) && url !== 'data:,')).toEqual([]);
  });
});
