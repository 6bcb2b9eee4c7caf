import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { tempDataDir } from '../support/temp-data-dir.js';
import { freshAppToken, idFromEntityUrl, webApi, type WebApiHttp } from '../support/web-api-http.js';

/**
 * Bearer authentication in front of the Web API (protocols/dataverse.md §1.11, §8, checklist item 13):
 * a missing, foreign, expired or tampered token is a 401 with Dataverse's WWW-Authenticate challenge.
 */
let running: RunningEmulator;
let api: WebApiHttp;
let offsetMs = 0;

beforeAll(async () => {
  running = await startDataverseEmulator({
    accessTokenLifetimeSeconds: 60,
    now: () => new Date(Date.now() + offsetMs),
  });
  api = webApi(running, { token: () => freshAppToken(running) });
});
afterAll(async () => {
  await running?.close();
});

function expectChallenge(result: { status: number; headers: Headers }, target: RunningEmulator = running) {
  expect(result.status).toBe(401);
  const origin = new URL(target.url).origin;
  expect(result.headers.get('www-authenticate')).toBe(
    `Bearer authorization_uri=${origin}/${target.emulator.directory.tenantId}/oauth2/authorize, resource_id=${target.url}`,
  );
}

describe('missing or malformed credentials', () => {
  it('answers an anonymous WhoAmI with the challenge clients use to discover the tenant', async () => {
    const result = await api.send('GET', 'WhoAmI', { token: null });
    expectChallenge(result);
    const challenge = result.headers.get('www-authenticate') ?? '';
    const tenant = /authorization_uri=https:\/\/[^/]+\/([0-9a-f-]{36})\/oauth2\/authorize/.exec(
      challenge,
    )?.[1];
    expect(tenant).toBe(running.emulator.directory.tenantId);
  });

  it('answers 401 on every route, writes included, and writes nothing', async () => {
    const before = await api.count('leads');
    expectChallenge(await api.send('GET', 'leads', { token: null }));
    expectChallenge(await api.send('POST', 'leads', { token: null, body: { lastname: 'Anonymous' } }));
    expectChallenge(
      await api.send('POST', '$batch', {
        token: null,
        body: '--b\r\n\r\n--b--',
        raw: true,
        headers: { 'content-type': 'multipart/mixed; boundary=b' },
      }),
    );
    expect(await api.count('leads')).toBe(before);
  });

  it('refuses other schemes and tokens that are not JWTs', async () => {
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer not.a.jwt',
      'Bearer abc',
      'bearer',
    ]) {
      const result = await api.send('GET', 'WhoAmI', { token: null, headers: { authorization } });
      expectChallenge(result);
    }
  });
});

describe('tokens that must not be accepted', () => {
  it('refuses an expired token once the clock passes its exp', async () => {
    const token = await freshAppToken(running);
    expect((await api.send('GET', 'WhoAmI', { token })).status).toBe(200);
    offsetMs = 61_000;
    try {
      const result = await api.send('GET', 'WhoAmI', { token });
      expectChallenge(result);
      expect(result.text).toMatch(/expired/);
      // A token issued at the new time works again.
      expect((await api.get('WhoAmI')).status).toBe(200);
    } finally {
      offsetMs = 0;
    }
  });

  it('refuses a tampered payload and a tampered signature', async () => {
    const token = await freshAppToken(running);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const otherUser = running.emulator.directory.users[0]?.objectId;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, oid: otherUser })).toString('base64url');
    const payloadTampered = await api.send('GET', 'WhoAmI', {
      token: `${header}.${forgedPayload}.${signature}`,
    });
    expectChallenge(payloadTampered);
    expect(payloadTampered.text).toMatch(/signature/);
    const flipped = `${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1) ?? ''}`;
    expectChallenge(await api.send('GET', 'WhoAmI', { token: `${header}.${payload}.${flipped}` }));
    expectChallenge(await api.send('GET', 'WhoAmI', { token: `${header}.${payload}.` }));
  });

  it('refuses a token signed with the same key for another environment (audience)', async () => {
    // Two emulators on one data directory share the signing key but not the environment URL.
    const data = tempDataDir();
    try {
      const first = await startDataverseEmulator({ dataDir: data.dir });
      const token = await freshAppToken(first);
      expect((await webApi(first).send('GET', 'WhoAmI', { token })).status).toBe(200);
      await first.close();
      const second = await startDataverseEmulator({ dataDir: data.dir });
      try {
        expect(second.url).not.toBe(first.url);
        const result = await webApi(second).send('GET', 'WhoAmI', { token });
        expectChallenge(result, second);
        expect(result.text).toMatch(/audience/);
      } finally {
        await second.close();
      }
    } finally {
      data.remove();
    }
  });
});

describe('a delegated user token (authorization code + PKCE)', () => {
  it('runs as the signed-in user: WhoAmI and ownership of what they create', async () => {
    const user = running.emulator.directory.users[0];
    const app = running.emulator.directory.applications[0];
    if (!user || !app) throw new Error('the demo directory has no user or application');
    const origin = new URL(running.url).origin;
    const redirectUri = 'http://localhost:53682/redirect';
    const scopes = [`${running.url}user_impersonation`];
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: app.clientId,
        clientSecret: app.clientSecrets[0]?.secretText ?? '',
        authority: running.emulator.authority(),
        knownAuthorities: [new URL(running.url).host],
      },
    });
    const pkce = await new CryptoProvider().generatePkceCodes();
    const authUrl = await cca.getAuthCodeUrl({
      scopes,
      redirectUri,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      loginHint: user.userPrincipalName,
    });
    // Play the browser: the sign-in page posts the chosen user back and redirects with a code.
    const html = await (await fetch(authUrl)).text();
    const flowToken = /name="flowToken" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
    const submitted = await fetch(new URL(action, origin), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ flowToken, user: user.objectId }),
      redirect: 'manual',
    });
    expect(submitted.status).toBe(302);
    const code = new URL(submitted.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const result = await cca.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: pkce.verifier });
    const token = result.accessToken;

    const whoAmI = await api.send('GET', 'WhoAmI', { token });
    expect(whoAmI.status).toBe(200);
    expect(whoAmI.json<{ UserId: string }>().UserId).toBe(user.systemUserId);
    const created = await api.send('POST', 'leads', { token, body: { lastname: 'Made by a person' } });
    expect(created.status).toBe(204);
    const id = idFromEntityUrl(created.headers.get('odata-entityid'));
    const row = await api.get(`leads(${id})?$select=_ownerid_value,_createdby_value`);
    expect(row.json()).toMatchObject({
      _ownerid_value: user.systemUserId,
      _createdby_value: user.systemUserId,
    });
  });
});
