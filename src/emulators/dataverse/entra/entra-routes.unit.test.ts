import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoEntraDirectoryInput } from './demo-directory.js';
import {
  parseEntraDirectory,
  type AppRegistration,
  type DirectoryUser,
  type EntraDirectory,
} from './entra-directory.js';
import { registerEntraRoutes, type EntraControl } from './entra-routes.js';
import { s256CodeChallenge } from './pkce.js';
import { createSigningKeys, type SigningKeys } from './signing-keys.js';
import { verifyAccessToken } from './verify-access-token.js';

/** Endpoint behaviour through Fastify's inject (no sockets); the clock is a variable the tests move. */

const ORIGIN = 'https://127.0.0.1:8443';
const ENVIRONMENT = `${ORIGIN}/`;
const REDIRECT = 'http://localhost:49152/redirect';
const VERIFIER = 'verifier-verifier-verifier-verifier-verifier-0001';
const PUBLIC_CLIENT_ID = '0e0e0e0e-0000-4000-8000-000000000001';

let server: FastifyInstance;
let control: EntraControl;
let directory: EntraDirectory;
let keys: SigningKeys;
let app: AppRegistration;
let user: DirectoryUser;
let now = Date.parse('2026-03-01T10:00:00Z');

function secret(): string {
  return app.clientSecrets[0]?.secretText ?? '';
}

async function token(
  form: Record<string, string>,
  tenant = directory.tenantId,
  headers: Record<string, string> = {},
) {
  const response = await server.inject({
    method: 'POST',
    url: `/${tenant}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.json<Record<string, unknown>>(),
  };
}

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: `${ENVIRONMENT}user_impersonation openid profile offline_access`,
    state: 'st',
    code_challenge: s256CodeChallenge(VERIFIER),
    code_challenge_method: 'S256',
    client_info: '1',
    ...params,
  });
  return `/${directory.tenantId}/oauth2/v2.0/authorize?${query.toString()}`;
}

/** Opens the picker, chooses `user`, returns the redirect URL. */
async function signIn(
  params: Record<string, string> = {},
  choice: Record<string, string> = {},
): Promise<URL> {
  const page = await server.inject({ method: 'GET', url: authorizeUrl(params) });
  expect(page.statusCode).toBe(200);
  const flowToken = /name="flowToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const submitted = await server.inject({
    method: 'POST',
    url: `/${directory.tenantId}/oauth2/v2.0/authorize`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ flowToken, user: user.objectId, ...choice }).toString(),
  });
  expect(submitted.statusCode).toBe(302);
  return new URL(String(submitted.headers.location));
}

function codeRedemption(code: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    client_id: app.clientId,
    client_secret: secret(),
    code,
    redirect_uri: REDIRECT,
    scope: `${ENVIRONMENT}user_impersonation openid profile offline_access`,
    code_verifier: VERIFIER,
    client_info: '1',
    ...extra,
  };
}

beforeAll(async () => {
  keys = await createSigningKeys();
  const demo = demoEntraDirectoryInput(3);
  directory = parseEntraDirectory({
    ...demo,
    applications: [
      ...(demo.applications ?? []),
      {
        clientId: PUBLIC_CLIENT_ID,
        displayName: 'Leadbridge CLI (public client)',
        systemUserId: '0e0e0e0e-0000-4000-8000-000000000002',
        redirectUris: ['http://localhost'],
        isPublicClient: true,
      },
    ],
  });
  const [firstApp] = directory.applications;
  const [firstUser] = directory.users;
  if (firstApp === undefined || firstUser === undefined) throw new Error('demo directory is empty');
  app = firstApp;
  user = firstUser;
  server = Fastify();
  control = registerEntraRoutes(server, {
    directory,
    keys,
    issuerOrigin: () => ORIGIN,
    environmentUrl: () => ENVIRONMENT,
    now: () => now,
    accessTokenLifetimeSeconds: 120,
  });
  await server.ready();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  now += 3600_000;
});

describe('discovery', () => {
  it('serves the tenant OpenID configuration with everything msal-node reads', async () => {
    const response = await server.inject({
      url: `/${directory.tenantId}/v2.0/.well-known/openid-configuration`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      issuer: `${ORIGIN}/${directory.tenantId}/v2.0`,
      authorization_endpoint: `${ORIGIN}/${directory.tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${ORIGIN}/${directory.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${ORIGIN}/${directory.tenantId}/discovery/v2.0/keys`,
      end_session_endpoint: `${ORIGIN}/${directory.tenantId}/oauth2/v2.0/logout`,
    });
  });

  it('keeps the alias and the {tenantid} issuer placeholder for organizations, and accepts verified domains', async () => {
    const organizations = await server.inject({
      url: '/organizations/v2.0/.well-known/openid-configuration',
    });
    expect(organizations.json()).toMatchObject({
      issuer: `${ORIGIN}/{tenantid}/v2.0`,
      token_endpoint: `${ORIGIN}/organizations/oauth2/v2.0/token`,
    });
    const domain = directory.verifiedDomains[0] ?? '';
    const byDomain = await server.inject({ url: `/${domain}/v2.0/.well-known/openid-configuration` });
    expect(byDomain.json()).toMatchObject({ issuer: `${ORIGIN}/${directory.tenantId}/v2.0` });
  });

  it('answers an unknown tenant like Entra (400 invalid_tenant, AADSTS90002)', async () => {
    const response = await server.inject({ url: '/contoso.example/v2.0/.well-known/openid-configuration' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });

  it('publishes the signing key with kid = x5t and its certificate', async () => {
    const response = await server.inject({ url: `/${directory.tenantId}/discovery/v2.0/keys` });
    const [key] = response.json<{ keys: Record<string, unknown>[] }>().keys;
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', kid: keys.kid, x5t: keys.kid, e: 'AQAB' });
    expect(Array.isArray(key?.x5c)).toBe(true);
  });
});

describe('token endpoint errors', () => {
  it('uses Entra’s exact error shape and 401 for invalid_client', async () => {
    const response = await token(
      {
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: 'wrong',
        scope: `${ENVIRONMENT}.default`,
      },
      directory.tenantId,
      { 'client-request-id': '0a1b2c3d-0000-4000-8000-000000000001' },
    );
    expect(response.status).toBe(401);
    const body = response.body;
    expect(Object.keys(body)).toEqual([
      'error',
      'error_description',
      'error_codes',
      'timestamp',
      'trace_id',
      'correlation_id',
      'error_uri',
    ]);
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([7000215]);
    expect(body.correlation_id).toBe('0a1b2c3d-0000-4000-8000-000000000001');
    expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    expect(body.error_description).toBe(
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.` +
        `\r\nTrace ID: ${String(body.trace_id)}\r\nCorrelation ID: ${String(body.correlation_id)}\r\nTimestamp: ${String(body.timestamp)}`,
    );
    expect(response.headers['x-ms-request-id']).toBe(body.trace_id);
    expect(response.headers['cache-control']).toContain('no-store');
  });

  it.each([
    [{}, 400, 'invalid_request', 900144],
    [{ grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
    [{ grant_type: 'client_credentials' }, 400, 'invalid_request', 900144],
    [
      { grant_type: 'client_credentials', client_id: '0f0f0f0f-0000-4000-8000-000000000000' },
      400,
      'unauthorized_client',
      700016,
    ],
  ])('%j → %i %s AADSTS%i', async (form, status, error, code) => {
    const response = await token(form);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error, error_codes: [code] });
  });

  it('rejects a missing credential, a secret ID sent as the secret, and the wrong scope shapes', async () => {
    const base = { grant_type: 'client_credentials', client_id: app.clientId };
    expect((await token({ ...base, scope: `${ENVIRONMENT}.default` })).body).toMatchObject({
      error_codes: [7000218],
    });
    expect(
      (
        await token({
          ...base,
          client_secret: app.clientSecrets[0]?.keyId ?? '',
          scope: `${ENVIRONMENT}.default`,
        })
      ).body,
    ).toMatchObject({ error_codes: [7000215] });
    expect((await token({ ...base, client_secret: secret() })).body).toMatchObject({ error_codes: [900144] });
    expect(
      (await token({ ...base, client_secret: secret(), scope: `${ENVIRONMENT}user_impersonation` })).body,
    ).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    expect(
      (await token({ ...base, client_secret: secret(), scope: 'https:///.default' })).body,
    ).toMatchObject({
      error: 'invalid_scope',
      error_codes: [70011],
    });
    expect(
      (await token({ ...base, client_secret: secret(), scope: 'https://contoso.crm.dynamics.com/.default' }))
        .body,
    ).toMatchObject({
      error: 'invalid_resource',
      error_codes: [500011],
    });
  });

  it('needs a tenant for client credentials (AADSTS50059 on /organizations) and a known tenant (AADSTS90002)', async () => {
    const form = {
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: secret(),
      scope: `${ENVIRONMENT}.default`,
    };
    expect((await token(form, 'organizations')).body).toMatchObject({
      error: 'invalid_request',
      error_codes: [50059],
    });
    expect((await token(form, 'not-a-tenant')).body).toMatchObject({
      error: 'invalid_request',
      error_codes: [90002],
    });
  });

  it('reads parameters from form bodies only (a JSON body → AADSTS900144), and only accepts POST', async () => {
    const json = await server.inject({
      method: 'POST',
      url: `/${directory.tenantId}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error_codes: [900144] });
    const get = await server.inject({ method: 'GET', url: `/${directory.tenantId}/oauth2/v2.0/token` });
    expect(get.json()).toMatchObject({ error: 'invalid_request', error_codes: [900561] });
  });

  it('accepts client_secret_basic', async () => {
    const basic = Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(secret())}`).toString(
      'base64',
    );
    const response = await token(
      { grant_type: 'client_credentials', scope: `${ENVIRONMENT}.default` },
      directory.tenantId,
      { authorization: `Basic ${basic}` },
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 119, ext_expires_in: 119 });
    expect(response.body).not.toHaveProperty('scope');
  });
});

describe('authorization code flow', () => {
  it('issues a single-use code and user tokens with client_info', async () => {
    const redirect = await signIn();
    expect(redirect.searchParams.get('state')).toBe('st');
    const code = redirect.searchParams.get('code') ?? '';
    const first = await token(codeRedemption(code));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      token_type: 'Bearer',
      scope: `${ORIGIN}/user_impersonation openid profile offline_access`,
      expires_in: 119,
    });
    expect(typeof first.body.refresh_token).toBe('string');
    expect(typeof first.body.id_token).toBe('string');
    expect(JSON.parse(Buffer.from(String(first.body.client_info), 'base64url').toString('utf8'))).toEqual({
      uid: user.objectId,
      utid: directory.tenantId,
    });
    const verified = await verifyAccessToken(String(first.body.access_token), {
      keys,
      audience: ENVIRONMENT,
      now: () => now,
      directory,
    });
    expect(verified).toMatchObject({
      ok: true,
      principal: { kind: 'user', systemUserId: user.systemUserId },
    });

    const replay = await token(codeRedemption(code));
    expect(replay.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
    expect((await token(codeRedemption('made-up'))).body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [9002313],
    });
  });

  it('expires codes (AADSTS70008) and binds them to the redirect URI and the PKCE verifier', async () => {
    const expired = (await signIn()).searchParams.get('code') ?? '';
    now += 601_000;
    expect((await token(codeRedemption(expired))).body).toMatchObject({ error_codes: [70008] });

    const wrongRedirect = (await signIn()).searchParams.get('code') ?? '';
    expect(
      (await token(codeRedemption(wrongRedirect, { redirect_uri: 'http://localhost:1/redirect' }))).body,
    ).toMatchObject({
      error: 'invalid_grant',
      error_codes: [500112],
    });

    const wrongVerifier = (await signIn()).searchParams.get('code') ?? '';
    expect(
      (await token(codeRedemption(wrongVerifier, { code_verifier: `${VERIFIER}x` }))).body,
    ).toMatchObject({
      error: 'invalid_grant',
      error_codes: [501481],
    });

    const noVerifier = (await signIn()).searchParams.get('code') ?? '';
    const form = codeRedemption(noVerifier);
    delete form.code_verifier;
    expect((await token(form)).body).toMatchObject({ error_codes: [900144] });
  });

  it('rotates refresh tokens, keeps the old one valid, and honours revocation of the app and inactivity', async () => {
    const code = (await signIn()).searchParams.get('code') ?? '';
    const issued = await token(codeRedemption(code));
    const original = String(issued.body.refresh_token);
    const refresh = (refreshToken: string) =>
      token({
        grant_type: 'refresh_token',
        client_id: app.clientId,
        client_secret: secret(),
        refresh_token: refreshToken,
        scope: `${ENVIRONMENT}user_impersonation offline_access`,
      });
    const rotated = await refresh(original);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(original);
    expect((await refresh(original)).status).toBe(200);

    control.revokeRefreshTokens({ clientId: app.clientId });
    expect((await refresh(String(rotated.body.refresh_token))).body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [50173],
    });

    const fresh = await token(codeRedemption((await signIn()).searchParams.get('code') ?? ''));
    expect((await refresh(String(fresh.body.refresh_token))).status).toBe(200);
    now += 91 * 24 * 3600_000;
    expect((await refresh(String(fresh.body.refresh_token))).body).toMatchObject({ error_codes: [700082] });
    expect((await refresh('garbage')).body).toMatchObject({ error_codes: [9002313] });
  });
});

describe('public clients', () => {
  it('redeem a PKCE code without a client credential, but may not present one they do not have', async () => {
    const redirect = await signIn({ client_id: PUBLIC_CLIENT_ID, redirect_uri: 'http://localhost:50001' });
    const code = redirect.searchParams.get('code') ?? '';
    const form = codeRedemption(code, {
      client_id: PUBLIC_CLIENT_ID,
      redirect_uri: 'http://localhost:50001',
    });
    delete form.client_secret;
    const response = await token(form);
    expect(response.status).toBe(200);
    const claims = JSON.parse(
      Buffer.from(String(response.body.access_token).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ appid: PUBLIC_CLIENT_ID, appidacr: '0', scp: 'user_impersonation' });
    const withSecret = await token({
      grant_type: 'refresh_token',
      client_id: PUBLIC_CLIENT_ID,
      client_secret: 'anything',
      refresh_token: String(response.body.refresh_token),
    });
    expect(withSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [700025] });
  });
});

describe('authorize endpoint', () => {
  it('renders an accessible account picker listing the directory’s users, login_hint first', async () => {
    const other = directory.users[1];
    const page = await server.inject({ url: authorizeUrl({ login_hint: other?.userPrincipalName ?? '' }) });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain(`to continue to <strong>${app.displayName}</strong>`);
    expect(page.body.indexOf(other?.objectId ?? '?')).toBeLessThan(page.body.indexOf(user.objectId));
  });

  it('shows redirect-URI and client problems on the page, never redirecting', async () => {
    const unregistered = await server.inject({
      url: authorizeUrl({ redirect_uri: 'https://evil.example/cb' }),
    });
    expect(unregistered.statusCode).toBe(400);
    expect(unregistered.headers.location).toBeUndefined();
    expect(unregistered.body).toContain('AADSTS50011');
    const unknownApp = await server.inject({
      url: authorizeUrl({ client_id: '0f0f0f0f-0000-4000-8000-000000000000' }),
    });
    expect(unknownApp.body).toContain('AADSTS700016');
  });

  it('redirects other problems back to the app with error, error_description and state', async () => {
    const response = await server.inject({
      url: authorizeUrl({ scope: 'https://contoso.crm.dynamics.com/user_impersonation' }),
    });
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.searchParams.get('error')).toBe('invalid_resource');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS500011: /);
    expect(location.searchParams.get('state')).toBe('st');
    const silent = await server.inject({ url: authorizeUrl({ prompt: 'none' }) });
    expect(new URL(String(silent.headers.location)).searchParams.get('error')).toBe('login_required');
  });

  it('returns access_denied when the user cancels, and rejects a reused sign-in form', async () => {
    const page = await server.inject({ url: authorizeUrl({}) });
    const flowToken = /name="flowToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const post = (form: Record<string, string>) =>
      server.inject({
        method: 'POST',
        url: `/${directory.tenantId}/oauth2/v2.0/authorize`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });
    const cancelled = await post({ flowToken, cancel: '1' });
    expect(new URL(String(cancelled.headers.location)).searchParams.get('error')).toBe('access_denied');
    const reused = await post({ flowToken, user: user.objectId });
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain('AADSTS50089');
  });

  it('supports response_mode=form_post with an auto-submitting form', async () => {
    const page = await server.inject({ url: authorizeUrl({ response_mode: 'form_post' }) });
    const flowToken = /name="flowToken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const response = await server.inject({
      method: 'POST',
      url: `/${directory.tenantId}/oauth2/v2.0/authorize`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ flowToken, user: user.objectId }).toString(),
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<form method="post" action="${REDIRECT}"`);
    expect(response.body).toMatch(/name="code" value="[^"]+"/);
    expect(response.headers['content-security-policy']).toContain('form-action http://localhost:49152');
  });
});
