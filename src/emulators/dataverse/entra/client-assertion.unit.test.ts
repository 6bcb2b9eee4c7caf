import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTHeaderParameters } from 'jose';
import { generate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyClientAssertion } from './client-assertion.js';
import { parseEntraDirectory, type AppRegistration } from './entra-directory.js';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TOKEN_ENDPOINT = 'https://127.0.0.1:8443/tenant/oauth2/v2.0/token';
const NOW = Date.parse('2026-03-01T10:00:00Z');

interface TestCertificate {
  readonly pem: string;
  readonly privateKey: KeyObject;
  readonly sha1: Buffer;
  readonly sha256: Buffer;
}

let registered: TestCertificate;
let unregistered: TestCertificate;
let expiredCert: TestCertificate;
let app: AppRegistration;

async function certificate(notBefore: number, notAfter: number): Promise<TestCertificate> {
  const generated = await generate([{ name: 'commonName', value: 'assertion test' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(notBefore),
    notAfterDate: new Date(notAfter),
  });
  const x509 = new X509Certificate(generated.cert);
  return {
    pem: generated.cert,
    privateKey: createPrivateKey(generated.private),
    sha1: Buffer.from(x509.fingerprint.replaceAll(':', ''), 'hex'),
    sha256: Buffer.from(x509.fingerprint256.replaceAll(':', ''), 'hex'),
  };
}

interface AssertionOverrides {
  readonly cert?: TestCertificate;
  readonly signWith?: KeyObject;
  readonly header?: Partial<JWTHeaderParameters>;
  readonly claims?: Record<string, unknown>;
  readonly alg?: 'RS256' | 'PS256';
}

/** Builds an assertion the way msal-node's ClientAssertion does, with targeted changes. */
async function assertion(overrides: AssertionOverrides = {}): Promise<string> {
  const cert = overrides.cert ?? registered;
  const alg = overrides.alg ?? 'RS256';
  const thumbprintHeader =
    alg === 'PS256'
      ? { 'x5t#S256': cert.sha256.toString('base64url') }
      : { x5t: cert.sha1.toString('base64url') };
  const nowSeconds = Math.floor(NOW / 1000);
  return new SignJWT({
    aud: TOKEN_ENDPOINT,
    iss: CLIENT_ID,
    sub: CLIENT_ID,
    jti: 'b1d3c4e5-0000-4000-8000-000000000001',
    nbf: nowSeconds,
    exp: nowSeconds + 600,
    ...overrides.claims,
  })
    .setProtectedHeader({ alg, typ: 'JWT', ...thumbprintHeader, ...overrides.header })
    .sign(overrides.signWith ?? cert.privateKey);
}

function verify(jwt: string, now = NOW) {
  return verifyClientAssertion(jwt, { app, audiences: [TOKEN_ENDPOINT], now });
}

beforeAll(async () => {
  const day = 24 * 3600_000;
  [registered, unregistered, expiredCert] = await Promise.all([
    certificate(NOW - day, NOW + 365 * day),
    certificate(NOW - day, NOW + 365 * day),
    certificate(NOW - 30 * day, NOW - day),
  ]);
  const directory = parseEntraDirectory({
    tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    applications: [
      {
        clientId: CLIENT_ID,
        displayName: 'assertion app',
        systemUserId: '99999999-8888-7777-6666-555555555555',
        certificates: [{ certificatePem: registered.pem }, { certificatePem: expiredCert.pem }],
      },
    ],
  });
  const [registeredApp] = directory.applications;
  if (registeredApp === undefined) throw new Error('no app');
  app = registeredApp;
});

describe('verifyClientAssertion', () => {
  it('accepts an RS256 assertion naming the certificate by x5t (SHA-1)', async () => {
    const result = await verify(await assertion());
    expect(result.ok && result.certificate.thumbprintSha1).toBe(
      registered.sha1.toString('hex').toUpperCase(),
    );
  });

  it('accepts a PS256 assertion naming the certificate by x5t#S256 (what msal sends for thumbprintSha256)', async () => {
    expect((await verify(await assertion({ alg: 'PS256' }))).ok).toBe(true);
  });

  it('accepts an array audience containing the token endpoint and is not fooled by case or trailing slash', async () => {
    const jwt = await assertion({ claims: { aud: ['https://other', `${TOKEN_ENDPOINT.toUpperCase()}/`] } });
    expect((await verify(jwt)).ok).toBe(true);
  });

  it('rejects a header without thumbprint (AADSTS50027)', async () => {
    const jwt = await new SignJWT({
      aud: TOKEN_ENDPOINT,
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      exp: NOW / 1000 + 600,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(registered.privateKey);
    expect(await verify(jwt)).toMatchObject({ ok: false, error: { error: 'invalid_client', code: 50027 } });
  });

  it('rejects a certificate that is not registered (AADSTS700027, key not found)', async () => {
    const result = await verify(await assertion({ cert: unregistered }));
    expect(result).toMatchObject({
      ok: false,
      error: { error: 'invalid_client', code: 700027, status: 401 },
    });
    expect(result.ok ? '' : result.error.message).toContain(unregistered.sha1.toString('hex').toUpperCase());
  });

  it('rejects a signature made with another key under a registered thumbprint (AADSTS700027)', async () => {
    const result = await verify(await assertion({ signWith: unregistered.privateKey }));
    expect(result).toMatchObject({ ok: false, error: { code: 700027 } });
    expect(result.ok ? '' : result.error.message).toContain('use of the key to verify the signature failed');
  });

  it('rejects an expired certificate', async () => {
    const result = await verify(await assertion({ cert: expiredCert }));
    expect(result.ok ? '' : result.error.message).toContain('The key used is expired');
  });

  it('rejects an assertion for another audience', async () => {
    const jwt = await assertion({
      claims: { aud: 'https://login.microsoftonline.com/other/oauth2/v2.0/token' },
    });
    expect(await verify(jwt)).toMatchObject({ ok: false, error: { error: 'invalid_client', code: 50027 } });
  });

  it('rejects iss/sub other than the client id (AADSTS700021)', async () => {
    expect(await verify(await assertion({ claims: { iss: 'someone-else' } }))).toMatchObject({
      ok: false,
      error: { code: 700021 },
    });
    expect(await verify(await assertion({ claims: { sub: 'someone-else' } }))).toMatchObject({
      ok: false,
      error: { code: 700021 },
    });
  });

  it('rejects an expired assertion beyond the 5-minute skew (AADSTS700024)', async () => {
    const jwt = await assertion();
    expect((await verify(jwt, NOW + 600_000 + 299_000)).ok).toBe(true);
    const result = await verify(jwt, NOW + 600_000 + 301_000);
    expect(result).toMatchObject({ ok: false, error: { error: 'invalid_client', code: 700024 } });
    expect(result.ok ? '' : result.error.message).toMatch(
      /^Client assertion is not within its valid time range\. Current time: /,
    );
  });

  it('rejects an assertion that is not valid yet', async () => {
    const jwt = await assertion({ claims: { nbf: NOW / 1000 + 3600, exp: NOW / 1000 + 4200 } });
    expect(await verify(jwt)).toMatchObject({ ok: false, error: { code: 700024 } });
  });

  it('rejects a non-JWT and an HMAC-signed assertion as malformed', async () => {
    expect(await verify('garbage')).toMatchObject({ ok: false, error: { code: 50027 } });
    const hmac = await new SignJWT({ iss: CLIENT_ID })
      .setProtectedHeader({ alg: 'HS256', x5t: registered.sha1.toString('base64url') })
      .sign(new Uint8Array(32));
    expect(await verify(hmac)).toMatchObject({ ok: false, error: { code: 50027 } });
  });
});
