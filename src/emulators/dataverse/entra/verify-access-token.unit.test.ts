import { beforeAll, describe, expect, it } from 'vitest';
import { issueAppAccessToken, issueUserAccessToken, type TokenAuthority } from './access-tokens.js';
import { createDemoEntraDirectory } from './demo-directory.js';
import type { AppRegistration, DirectoryUser, EntraDirectory } from './entra-directory.js';
import { issueIdToken } from './id-tokens.js';
import { issueRefreshToken } from './refresh-tokens.js';
import { createSigningKeys, type SigningKeys } from './signing-keys.js';
import { accessTokenIssuer } from './token-issuers.js';
import { verifyAccessToken } from './verify-access-token.js';

const ORIGIN = 'https://127.0.0.1:8443';
const ENVIRONMENT = 'https://127.0.0.1:8443/';
const T0 = Date.parse('2026-03-01T10:00:00Z');

let keys: SigningKeys;
let otherKeys: SigningKeys;
let directory: EntraDirectory;
let app: AppRegistration;
let user: DirectoryUser;

function authority(signing: SigningKeys = keys, environmentUrl = ENVIRONMENT): TokenAuthority {
  return { keys: signing, issuerOrigin: ORIGIN, environmentUrl, tenantId: directory.tenantId };
}

function options(now = T0, overrides: { directory?: EntraDirectory; audience?: string } = {}) {
  return {
    keys,
    audience: overrides.audience ?? ENVIRONMENT,
    now: () => now,
    directory: overrides.directory ?? directory,
    issuer: accessTokenIssuer(ORIGIN, directory.tenantId),
  };
}

async function appToken(signing = keys, environmentUrl = ENVIRONMENT): Promise<string> {
  return (
    await issueAppAccessToken(authority(signing, environmentUrl), app, 'secret', {
      now: T0,
      lifetimeSeconds: 60,
    })
  ).token;
}

beforeAll(async () => {
  [keys, otherKeys] = await Promise.all([createSigningKeys(), createSigningKeys()]);
  directory = createDemoEntraDirectory(1);
  const [firstApp] = directory.applications;
  const [firstUser] = directory.users;
  if (firstApp === undefined || firstUser === undefined) throw new Error('demo directory is empty');
  app = firstApp;
  user = firstUser;
});

describe('verifyAccessToken', () => {
  it('accepts an app-only token and maps it to the application user', async () => {
    expect(await verifyAccessToken(await appToken(), options())).toEqual({
      ok: true,
      principal: { kind: 'application', clientId: app.clientId, systemUserId: app.systemUserId },
    });
  });

  it('accepts a delegated token and maps it to the user’s systemuser', async () => {
    const { token } = await issueUserAccessToken(
      authority(),
      app,
      user,
      'secret',
      { permissions: ['user_impersonation'], authTime: T0 / 1000, sessionId: 'session' },
      { now: T0, lifetimeSeconds: 60 },
    );
    expect(await verifyAccessToken(token, options())).toEqual({
      ok: true,
      principal: { kind: 'user', objectId: user.objectId, systemUserId: user.systemUserId },
    });
  });

  it('treats the audience with and without trailing slash (and any case) as the same environment', async () => {
    const token = await appToken();
    expect((await verifyAccessToken(token, options(T0, { audience: 'HTTPS://127.0.0.1:8443' }))).ok).toBe(
      true,
    );
  });

  it('reports a missing token', async () => {
    expect(await verifyAccessToken(undefined, options())).toMatchObject({ ok: false, reason: 'missing' });
    expect(await verifyAccessToken('  ', options())).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('reports garbage and non-access tokens as malformed', async () => {
    expect(await verifyAccessToken('not-a-jwt', options())).toMatchObject({ ok: false, reason: 'malformed' });
    const refreshToken = await issueRefreshToken(
      {
        clientId: app.clientId,
        userObjectId: user.objectId,
        tenantId: directory.tenantId,
        permissions: ['user_impersonation'],
        oidc: ['offline_access'],
        stamp: T0 * 1000,
        authTime: T0 / 1000,
        sessionId: 's',
      },
      keys,
    );
    expect(await verifyAccessToken(refreshToken, options())).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const idToken = await issueIdToken(authority(), {
      clientId: app.clientId,
      user,
      nonce: undefined,
      oidcScopes: ['openid'],
      now: T0,
    });
    expect(await verifyAccessToken(idToken, options())).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('expires at exp (injected clock), not before', async () => {
    const token = await appToken();
    expect((await verifyAccessToken(token, options(T0 + 59_999))).ok).toBe(true);
    expect(await verifyAccessToken(token, options(T0 + 60_000))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects a token that is not yet valid', async () => {
    expect(await verifyAccessToken(await appToken(), options(T0 - 5_000))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects a token signed by another key, even when it claims our kid', async () => {
    const forged = await appToken({ ...otherKeys, kid: keys.kid });
    expect(await verifyAccessToken(forged, options())).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await verifyAccessToken(await appToken(otherKeys), options())).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a tampered payload', async () => {
    const [header, payload, signature] = (await appToken()).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const tampered = Buffer.from(JSON.stringify({ ...claims, exp: 9_999_999_999 })).toString('base64url');
    expect(await verifyAccessToken(`${header}.${tampered}.${signature}`, options())).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a token for another environment', async () => {
    const token = await appToken(keys, 'https://contoso.crm.dynamics.com/');
    expect(await verifyAccessToken(token, options())).toMatchObject({ ok: false, reason: 'wrong_audience' });
  });

  it('rejects principals the directory does not know (deleted app, deleted or disabled user)', async () => {
    const withoutApps: EntraDirectory = { ...directory, applications: [] };
    expect(await verifyAccessToken(await appToken(), options(T0, { directory: withoutApps }))).toMatchObject({
      ok: false,
      reason: 'unknown_principal',
    });
    const { token } = await issueUserAccessToken(
      authority(),
      app,
      user,
      'none',
      { permissions: ['user_impersonation'], authTime: T0 / 1000, sessionId: 'session' },
      { now: T0, lifetimeSeconds: 60 },
    );
    const disabled: EntraDirectory = {
      ...directory,
      users: directory.users.map((candidate) => ({
        ...candidate,
        accountEnabled: candidate.objectId !== user.objectId,
      })),
    };
    expect(await verifyAccessToken(token, options(T0, { directory: disabled }))).toMatchObject({
      ok: false,
      reason: 'unknown_principal',
    });
  });

  it('issues the v1 claims Dataverse tokens carry', async () => {
    const token = await appToken();
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      aud: 'https://127.0.0.1:8443',
      iss: `${ORIGIN}/${directory.tenantId}/`,
      appid: app.clientId,
      appidacr: '1',
      idtyp: 'app',
      oid: app.servicePrincipalId,
      tid: directory.tenantId,
      ver: '1.0',
      iat: T0 / 1000,
      nbf: T0 / 1000,
      exp: T0 / 1000 + 60,
    });
  });
});
